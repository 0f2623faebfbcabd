"""The IpProfile table (122 columns on 7.2 devices), kept as data: ``Column=default`` pairs.

Column names and the factory values come from the 7.2 files in the corpus. Integer columns are
loosely typed (any 32-bit integer): the model keeps and writes back what devices hold without
pretending to know each column's range. CLI words are derived from the INI names
(``tables.kebab``). The table itself is built in ``tables.py``.
"""

from __future__ import annotations

SPEC = """
ProfileName="" IpPreference=1 CodersGroupName="" IsFaxUsed=0 JitterBufMinDelay=10 JitterBufOptFactor=10
IPDiffServ=46 SigIPDiffServ=24 RTPRedundancyDepth=0 CNGmode=0 VxxTransportType=2 NSEMode=0 IsDTMFUsed=0
PlayRBTone2IP=0 EnableEarlyMedia=0 ProgressIndicator2IP=-1 EnableEchoCanceller=1 CopyDest2RedirectNumber=0
MediaSecurityBehaviour=0 CallLimit=-1 DisconnectOnBrokenConnection=1 FirstTxDtmfOption=4 SecondTxDtmfOption=-1
RxDTMFOption=1 EnableHold=1 InputGain=0 VoiceVolume=0 AddIEInSetup="" SBCExtensionCodersGroupName=""
MediaIPVersionPreference=0 TranscodingMode=0 SBCAllowedMediaTypes="" SBCAllowedAudioCodersGroupName=""
SBCAllowedVideoCodersGroupName="" SBCAllowedCodersMode=0 SBCMediaSecurityBehaviour=0 SBCRFC2833Behavior=0
SBCAlternativeDTMFMethod=0 SBCSendMultipleDTMFMethods=0 SBCAssertIdentity=0 AMDSensitivityParameterSuit=0
AMDSensitivityLevel=8 AMDMaxGreetingTime=300 AMDMaxPostSilenceGreetingTime=400 SBCDiversionMode=0
SBCHistoryInfoMode=0 EnableQSIGTunneling=0 SBCFaxCodersGroupName="" SBCFaxBehavior=0 SBCFaxOfferMode=0
SBCFaxAnswerMode=1 SbcPrackMode=3 SBCSessionExpiresMode=0 SBCRemoteUpdateSupport=2 SBCRemoteReinviteSupport=2
SBCRemoteDelayedOfferSupport=1 SBCRemoteReferBehavior=0 SBCRemote3xxBehavior=0 SBCRemoteMultiple18xSupport=1
SBCRemoteEarlyMediaResponseType=0 SBCRemoteEarlyMediaSupport=1 EnableSymmetricMKI=0 MKISize=0
SBCEnforceMKISize=0 SBCRemoteEarlyMediaRTP=0 SBCRemoteSupportsRFC3960=0 SBCRemoteCanPlayRingback=1
EnableEarly183=0 EarlyAnswerTimeout=0 SBC2833DTMFPayloadType=0 SBCUserRegistrationTime=0
ResetSRTPStateUponRekey=0 AmdMode=0 SBCReliableHeldToneSource=1 GenerateSRTPKeys=0 SBCPlayHeldTone=0
SBCRemoteHoldFormat=0 SBCRemoteReplacesBehavior=0 SBCSDPPtimeAnswer=0 SBCPreferredPTime=0 SBCUseSilenceSupp=0
SBCRTPRedundancyBehavior=0 SBCPlayRBTToTransferee=0 SBCRTCPMode=0 SBCJitterCompensation=0
SBCRemoteRenegotiateOnFaxDetection=0 JitterBufMaxDelay=300 SBCUserBehindUdpNATRegistrationTime=-1
SBCUserBehindTcpNATRegistrationTime=-1 SBCSDPHandleRTCPAttribute=0 SBCRemoveCryptoLifetimeInSDP=0 SBCIceMode=0
SBCRTCPMux=0 SBCMediaSecurityMethod=0 SBCHandleXDetect=0 SBCRTCPFeedback=0 SBCRemoteRepresentationMode=-1
SBCKeepVIAHeaders=-1 SBCKeepRoutingHeaders=-1 SBCKeepUserAgentHeader=-1 SBCRemoteMultipleEarlyDialogs=-1
SBCRemoteMultipleAnswersMode=0 SBCDirectMediaTag="" SBCAdaptRFC2833BWToVoiceCoderBW=0 CreatedByRoutingServer=0
SBCFaxReroutingMode=0 SBCMaxCallDuration=0 SBCGenerateRTP=0 SBCISUPBodyHandling=0 SBCISUPVariant=0
SBCVoiceQualityEnhancement=1 SBCMaxOpusBW=0 SBCEnhancedPlc=0 LocalRingbackTone=-1 LocalHeldTone=-1
SBCGenerateNoOp=0 SBCRemoveUnKnownCrypto=0 SBCMultipleCoders=0 DataDiffServ=0 SBCMSRPReinviteUpdateSupport=1
SBCMSRPOfferSetupRole=2 SBCMSRPEmpMsg=0
"""

# Columns naming rows of other tables.
REFERENCES = {
    "CodersGroupName": ("AudioCodersGroups", "Name"),
    "SBCExtensionCodersGroupName": ("AudioCodersGroups", "Name"),
    "SBCFaxCodersGroupName": ("AudioCodersGroups", "Name"),
    "SBCAllowedAudioCodersGroupName": ("AllowedAudioCodersGroups", "Name"),
}
CLI_WORDS = {"ProfileName": "profile-name"}


def column_specs():
    """[(column name, default)]: default is an int, or "" for string columns."""
    specs = []
    for pair in SPEC.split():
        name, default = pair.split("=")
        specs.append((name, "" if default == '""' else int(default)))
    return specs
