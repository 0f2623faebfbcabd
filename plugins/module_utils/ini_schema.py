# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the modules know about the device's INI configuration: table columns, their kinds and
default values, the order devices write tables in, and the kinds and defaults of global
parameters.

Pure library: standard library only, no Ansible imports.

The data are the 7.2+ INI names and factory defaults of the vendor's configuration (the same the
collection's simulator models; a test keeps the two equal). The modules use them to

* compare values the way the device reads them: a number column holds ``5`` whether it was
  given as ``"05"`` or ``5``; an IP address column compares addresses (``2001:DB8::1`` is
  ``2001:db8:0::1``, an empty field is the default address);
* know that a parameter the device does not write holds its default value, so that asking for
  the default is not a change on every run;
* put a row's unlisted columns back to their defaults (table state ``replaced``);
* send tables in the order devices write them, so that a row exists before another row refers
  to it, and remove rows in the reverse order.

Tables and parameters not listed here are compared as text; their defaults can be given to
the module (``column_defaults``).

Each table is ``(name, spec)``; a spec lists ``Column:kind=default`` with the kinds ``n``
(a number: integers and enumerations, which INI writes as numbers), ``ip`` (an IP address) and
``s`` (text).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["ColumnSpec", "TableSpec", "Schema", "SCHEMA"]

TABLES = (
    ("InterfaceTable", """
        ApplicationTypes:n=5 InterfaceMode:n=10 IPAddress:ip=0.0.0.0 PrefixLength:n=24
        Gateway:ip=0.0.0.0 InterfaceName:s= PrimaryDNSServerIPAddress:ip=0.0.0.0
        SecondaryDNSServerIPAddress:ip=0.0.0.0 UnderlyingDevice:s=
    """),
    ("TLSContexts", """
        Name:s= TLSVersion:n=0 DTLSVersion:n=0 ServerCipherString:s=DEFAULT ClientCipherString:s=DEFAULT
        RequireStrictCert:n=0 TlsRenegotiation:n=1 OcspEnable:n=0 OcspServerPrimary:ip=0.0.0.0
        OcspServerSecondary:ip=0.0.0.0 OcspServerPort:n=2560 OcspDefaultResponse:n=0 DHKeySize:n=2048
    """),
    ("AudioCodersGroups", """
        Name:s=
    """),
    ("AllowedAudioCodersGroups", """
        Name:s=
    """),
    ("IpProfile", """
        ProfileName:s= IpPreference:n=1 CodersGroupName:s= IsFaxUsed:n=0 JitterBufMinDelay:n=10
        JitterBufOptFactor:n=10 IPDiffServ:n=46 SigIPDiffServ:n=24 RTPRedundancyDepth:n=0 CNGmode:n=0
        VxxTransportType:n=2 NSEMode:n=0 IsDTMFUsed:n=0 PlayRBTone2IP:n=0 EnableEarlyMedia:n=0
        ProgressIndicator2IP:n=-1 EnableEchoCanceller:n=1 CopyDest2RedirectNumber:n=0
        MediaSecurityBehaviour:n=0 CallLimit:n=-1 DisconnectOnBrokenConnection:n=1 FirstTxDtmfOption:n=4
        SecondTxDtmfOption:n=-1 RxDTMFOption:n=1 EnableHold:n=1 InputGain:n=0 VoiceVolume:n=0
        AddIEInSetup:s= SBCExtensionCodersGroupName:s= MediaIPVersionPreference:n=0 TranscodingMode:n=0
        SBCAllowedMediaTypes:s= SBCAllowedAudioCodersGroupName:s= SBCAllowedVideoCodersGroupName:s=
        SBCAllowedCodersMode:n=0 SBCMediaSecurityBehaviour:n=0 SBCRFC2833Behavior:n=0
        SBCAlternativeDTMFMethod:n=0 SBCSendMultipleDTMFMethods:n=0 SBCAssertIdentity:n=0
        AMDSensitivityParameterSuit:n=0 AMDSensitivityLevel:n=8 AMDMaxGreetingTime:n=300
        AMDMaxPostSilenceGreetingTime:n=400 SBCDiversionMode:n=0 SBCHistoryInfoMode:n=0
        EnableQSIGTunneling:n=0 SBCFaxCodersGroupName:s= SBCFaxBehavior:n=0 SBCFaxOfferMode:n=0
        SBCFaxAnswerMode:n=1 SbcPrackMode:n=3 SBCSessionExpiresMode:n=0 SBCRemoteUpdateSupport:n=2
        SBCRemoteReinviteSupport:n=2 SBCRemoteDelayedOfferSupport:n=1 SBCRemoteReferBehavior:n=0
        SBCRemote3xxBehavior:n=0 SBCRemoteMultiple18xSupport:n=1 SBCRemoteEarlyMediaResponseType:n=0
        SBCRemoteEarlyMediaSupport:n=1 EnableSymmetricMKI:n=0 MKISize:n=0 SBCEnforceMKISize:n=0
        SBCRemoteEarlyMediaRTP:n=0 SBCRemoteSupportsRFC3960:n=0 SBCRemoteCanPlayRingback:n=1
        EnableEarly183:n=0 EarlyAnswerTimeout:n=0 SBC2833DTMFPayloadType:n=0 SBCUserRegistrationTime:n=0
        ResetSRTPStateUponRekey:n=0 AmdMode:n=0 SBCReliableHeldToneSource:n=1 GenerateSRTPKeys:n=0
        SBCPlayHeldTone:n=0 SBCRemoteHoldFormat:n=0 SBCRemoteReplacesBehavior:n=0 SBCSDPPtimeAnswer:n=0
        SBCPreferredPTime:n=0 SBCUseSilenceSupp:n=0 SBCRTPRedundancyBehavior:n=0
        SBCPlayRBTToTransferee:n=0 SBCRTCPMode:n=0 SBCJitterCompensation:n=0
        SBCRemoteRenegotiateOnFaxDetection:n=0 JitterBufMaxDelay:n=300
        SBCUserBehindUdpNATRegistrationTime:n=-1 SBCUserBehindTcpNATRegistrationTime:n=-1
        SBCSDPHandleRTCPAttribute:n=0 SBCRemoveCryptoLifetimeInSDP:n=0 SBCIceMode:n=0 SBCRTCPMux:n=0
        SBCMediaSecurityMethod:n=0 SBCHandleXDetect:n=0 SBCRTCPFeedback:n=0
        SBCRemoteRepresentationMode:n=-1 SBCKeepVIAHeaders:n=-1 SBCKeepRoutingHeaders:n=-1
        SBCKeepUserAgentHeader:n=-1 SBCRemoteMultipleEarlyDialogs:n=-1 SBCRemoteMultipleAnswersMode:n=0
        SBCDirectMediaTag:s= SBCAdaptRFC2833BWToVoiceCoderBW:n=0 CreatedByRoutingServer:n=0
        SBCFaxReroutingMode:n=0 SBCMaxCallDuration:n=0 SBCGenerateRTP:n=0 SBCISUPBodyHandling:n=0
        SBCISUPVariant:n=0 SBCVoiceQualityEnhancement:n=1 SBCMaxOpusBW:n=0 SBCEnhancedPlc:n=0
        LocalRingbackTone:n=-1 LocalHeldTone:n=-1 SBCGenerateNoOp:n=0 SBCRemoveUnKnownCrypto:n=0
        SBCMultipleCoders:n=0 DataDiffServ:n=0 SBCMSRPReinviteUpdateSupport:n=1
        SBCMSRPOfferSetupRole:n=2 SBCMSRPEmpMsg:n=0
    """),
    ("CpMediaRealm", """
        MediaRealmName:s= IPv4IF:s= IPv6IF:s= RemoteIPv4IF:s= RemoteIPv6IF:s= PortRangeStart:n=6000
        MediaSessionLeg:n=100 PortRangeEnd:n=6999 TCPPortRangeStart:n=0 TCPPortRangeEnd:n=0
        IsDefault:n=0 QoeProfile:s= BWProfile:s= TopologyLocation:n=0
    """),
    ("SBCRoutingPolicy", """
        Name:s= LCREnable:n=0 LCRAverageCallLength:n=1 LCRDefaultCost:n=0 LdapServerGroupName:s=
    """),
    ("SRD", """
        Name:s= BlockUnRegUsers:n=0 MaxNumOfRegUsers:n=-1 EnableUnAuthenticatedRegistrations:n=1
        SharingPolicy:n=0 UsedByRoutingServer:n=0 SBCOperationMode:n=0 SBCRoutingPolicyName:s=
        SBCDialPlanName:s= AdmissionProfile:s=
    """),
    ("MessagePolicy", """
        Name:s= MaxMessageLength:n=-1 MaxHeaderLength:n=-1 MaxBodyLength:n=-1 MaxNumHeaders:n=-1
        MaxNumBodies:n=-1 SendRejection:n=1 MethodList:s= MethodListType:n=0 BodyList:s=
        BodyListType:n=0 UseMaliciousSignatureDB:n=0
    """),
    ("SIPInterface", """
        InterfaceName:s= NetworkInterface:s= SCTPSecondaryNetworkInterface:s= ApplicationType:n=0
        UDPPort:n=5060 TCPPort:n=5060 TLSPort:n=5061 SCTPPort:n=0 AdditionalUDPPorts:s=
        AdditionalUDPPortsMode:n=0 SRDName:s= MessagePolicyName:s= TLSContext:s=
        TLSMutualAuthentication:n=-1 TCPKeepaliveEnable:n=0 ClassificationFailureResponseType:n=500
        PreClassificationManSet:n=-1 EncapsulatingProtocol:n=0 MediaRealm:s= SBCDirectMedia:n=0
        BlockUnRegUsers:n=-1 MaxNumOfRegUsers:n=-1 EnableUnAuthenticatedRegistrations:n=-1
        UsedByRoutingServer:n=0 TopologyLocation:n=0 PreParsingManSetName:s= AdmissionProfile:s=
        CallSetupRulesSetId:n=-1
    """),
    ("ProxySet", """
        ProxyName:s= EnableProxyKeepAlive:n=0 ProxyKeepAliveTime:n=60 ProxyLoadBalancingMethod:n=0
        IsProxyHotSwap:n=0 SRDName:s= ClassificationInput:n=0 TLSContextName:s= ProxyRedundancyMode:n=-1
        DNSResolveMethod:n=-1 KeepAliveFailureResp:s= GWIPv4SIPInterfaceName:s=
        SBCIPv4SIPInterfaceName:s= GWIPv6SIPInterfaceName:s= SBCIPv6SIPInterfaceName:s=
        MinActiveServersLB:n=1 SuccessDetectionRetries:n=1 SuccessDetectionInterval:n=10
        FailureDetectionRetransmissions:n=-1
    """),
    ("IPGroup", """
        Type:n=0 Name:s= ProxySetName:s= VoiceAIConnector:s= SIPGroupName:s= ContactUser:s=
        SipReRoutingMode:n=-1 AlwaysUseRouteTable:n=0 SRDName:s= MediaRealm:s= InternalMediaRealm:s=
        ClassifyByProxySet:n=1 ProfileName:s= MaxNumOfRegUsers:n=-1 InboundManSet:n=-1
        OutboundManSet:n=-1 RegistrationMode:n=0 AuthenticationMode:n=0 MethodList:s=
        SBCServerAuthType:n=-1 OAuthHTTPService:s= EnableSBCClientForking:n=0 SourceUriInput:n=-1
        DestUriInput:n=-1 ContactName:s= Username:s= Password:s=$1$gQ== UUIFormat:n=0 QOEProfile:s=
        BWProfile:s= AlwaysUseSourceAddr:n=0 MsgManUserDef1:s= MsgManUserDef2:s= SIPConnect:n=0
        SBCPSAPMode:n=0 DTLSContext:s=default CreatedByRoutingServer:n=0 UsedByRoutingServer:n=0
        SBCOperationMode:n=-1 SBCRouteUsingRequestURIPort:n=0 SBCKeepOriginalCallID:n=0
        TopologyLocation:n=0 SBCDialPlanName:s= CallSetupRulesSetId:n=-1 Tags:s= SBCUserStickiness:n=0
        UserUDPPortAssignment:n=0 AdmissionProfile:s= ProxyKeepAliveUsingIPG:n=0
        SBCAltRouteReasonsSetName:s= TeamsMediaOptimization:n=0 TeamsMOInitialBehavior:n=0
        SIPSourceHostName:s=
    """),
    ("ProxyIp", """
        ProxySetId:s=0 ProxyIpIndex:n=0 IpAddress:s= TransportType:n=-1 Priority:n=0 Weight:n=0
    """),
    ("ConditionTable", """
        Name:s= Condition:s=
    """),
    ("IP2IPRouting", """
        RouteName:s= RoutingPolicyName:s=Default_SBCRoutingPolicy SrcIPGroupName:s=Any
        SrcUsernamePrefix:s=* SrcHost:s=* DestUsernamePrefix:s=* DestHost:s=* RequestType:n=0
        MessageConditionName:s= ReRouteIPGroupName:s=Any Trigger:n=0 CallSetupRulesSetId:n=-1
        DestType:n=0 DestIPGroupName:s= DestSIPInterfaceName:s= DestAddress:s= DestPort:n=0
        DestTransportType:n=-1 AltRouteOptions:n=0 GroupPolicy:n=0 CostGroup:s= DestTags:s=
        ModifiedDestUserName:s= SrcTags:s= IPGroupSetName:s= RoutingTagName:s=default InternalAction:s=
    """),
    ("Classification", """
        ClassificationName:s= MessageConditionName:s= SRDName:s= SrcSIPInterfaceName:s= SrcAddress:s=
        SrcPort:n=0 SrcTransportType:n=-1 SrcUsernamePrefix:s=* SrcHost:s=* DestUsernamePrefix:s=*
        DestHost:s=* ActionType:n=1 SrcIPGroupName:s= DestRoutingPolicy:s= IpProfileName:s=
        IPGroupSelection:n=0 IpGroupTagName:s=default
    """),
    ("MessageManipulations", """
        ManipulationName:s= ManSetID:n=0 MessageType:s= Condition:s= ActionSubject:s= ActionType:n=0
        ActionValue:s= RowRole:n=0
    """),
    ("AllowedAudioCoders", """
        AllowedAudioCodersGroupName:s= AllowedAudioCodersIndex:n=0 CoderID:n=1 UserDefineCoder:s=
    """),
    ("AudioCoders", """
        AudioCodersGroupId:s= AudioCodersIndex:n=0 Name:n=1 pTime:n=2 rate:n=0 PayloadType:n=-1 Sce:n=0
        CoderSpecific:s=
    """),
)

PARAMETERS = """
    EnableSyslog:n=0 SyslogServerIP:ip=0.0.0.0 SyslogServerPort:n=514 SyslogLogLevel:n=7 SyslogFacility:n=16
    SYSLOGOPTIMIZATION:n=0 GWDEBUGLEVEL:n=0 CDRReportLevel:n=0 CDRSyslogServerIP:ip=0.0.0.0
    ENABLEPARAMETERSMONITORING:n=0 EnableActivityTrap:n=0 NTPServerIP:s= NTPSecondaryServerIP:s=
    NTPUpdateInterval:n=86400 NTPServerUTCOffset:n=0 DayLightSavingTimeEnable:n=0
    DayLightSavingTimeStart:s=01:01:00:00 DayLightSavingTimeEnd:s=01:01:00:00 TelnetServerEnable:n=1
    TelnetServerPort:n=23 SSHServerEnable:n=0 SSHServerPort:n=22 CLIPrivPass:s=Admin LDAPSERVICEENABLE:n=0
    LDAPCACHEENABLE:n=0 LDAPCACHEENTRYTIMEOUT:n=1200 MSLDAPPRIMARYKEY:s=telephoneNumber
    MSLDAPSECONDARYKEY:s= HTTPSOnly:n=0 HTTPport:n=80 HTTPSPort:n=443 HTTPSCipherString:s=DEFAULT
    HTTPSRequireClientCertificate:n=0 WebSessionTimeout:n=15 UpLabelName:s=Up DownLabelName:s=Down
    DisableSNMP:n=0 SNMPPort:n=161 SNMPSysContact:s= SNMPSysName:s= SNMPSysLocation:s=
    SNMPREADONLYCOMMUNITYSTRING_0:s= SNMPREADWRITECOMMUNITYSTRING_0:s= SNMPTRAPCOMMUNITYSTRING:s=
    AllowWanSnmp:n=0 SNMPManagerIsUsed_0:n=0 SNMPManagerTableIP_0:ip=0.0.0.0 SNMPManagerTrapPort_0:n=162
    SNMPManagerIsUsed_1:n=0 SNMPManagerTableIP_1:ip=0.0.0.0 SNMPManagerTrapPort_1:n=162
    SNMPManagerIsUsed_2:n=0 SNMPManagerTableIP_2:ip=0.0.0.0 SNMPManagerTrapPort_2:n=162
    SNMPManagerIsUsed_3:n=0 SNMPManagerTableIP_3:ip=0.0.0.0 SNMPManagerTrapPort_3:n=162
    SNMPManagerIsUsed_4:n=0 SNMPManagerTableIP_4:ip=0.0.0.0 SNMPManagerTrapPort_4:n=162
    DefaultPrimaryDnsServerIp:ip=0.0.0.0 DefaultSecondaryDnsServerIp:ip=0.0.0.0
    EnterCpuOverloadPercent:n=100 ExitCpuOverloadPercent:n=90 NatMode:n=1 TLSVersion:n=0 TLSPkeySize:n=2048
    TLSReHandshakeInterval:n=0 SIPSRequireClientCertificate:n=0 ENABLEMEDIASECURITY:n=0
    SRTPTxPacketMKISize:n=0 ENABLESYMMETRICMKI:n=0 MEDIASECURITYBEHAVIOUR:n=0 PCMLawSelect:n=3
    UdpPortSpacing:n=2 MEDIACHANNELS:n=-1 TRANSCODINGMODE:n=0 EnableDSPIPMDetectors:n=0 VQMONENABLE:n=0
    RFC2833TxPayloadType:n=96 FaxTransportMode:n=1 SIPTRANSPORTTYPE:n=0 SIPDESTINATIONPORT:n=5060
    SIPGATEWAYNAME:s= ENABLEEARLYMEDIA:n=0 ENABLEEARLY183:n=0 ENFORCEMEDIAORDER:n=0 RETRYAFTERTIME:n=0
    FAKERETRYAFTER:n=0 USETELURIFORASSERTEDID:n=0 ENABLESIPS:n=0 PROXYNAME:s= ALWAYSSENDTOPROXY:n=0
    PROXYREDUNDANCYMODE:n=0 AUTHENTICATIONMODE:n=1 ENABLESBCAPPLICATION:n=1 SbcPerformanceProfile:n=0
    SBCSessionExpires:n=180 SBCMinSE:n=90 SBCMaxForwardsLimit:n=10 SBCUserRegistrationTime:n=0
    SBCPREFERENCESMODE:n=0 SBCFORKINGHANDLINGMODE:n=0 SBCENFORCEMEDIAORDER:n=0
    SBCKeepContactUserinRegister:n=0 SBCDirectMedia:n=0 SBCRemoveSIPSFromNonSIPSURI:n=0
"""


@dataclass(frozen=True)
class ColumnSpec:
    """A column or global parameter: its name as devices spell it, kind and default (as text)."""

    name: str
    kind: str
    default: str

    def canonical(self, text: str) -> str:
        """The value as the device holds it, for comparisons (``text`` without quotes)."""
        if self.kind == "n":
            stripped = text.strip()
            if re.fullmatch(r"[+-]?\d+", stripped):
                return str(int(stripped))
            return text
        if self.kind == "ip":
            stripped = text.strip()
            if stripped == "":
                stripped = self.default
            try:
                return ipaddress.ip_address(stripped).compressed
            except ValueError:
                return text
        return text


@dataclass(frozen=True)
class TableSpec:
    name: str
    rank: int
    columns: tuple[ColumnSpec, ...]

    def column(self, name: str) -> ColumnSpec | None:
        folded = name.casefold()
        for column in self.columns:
            if column.name.casefold() == folded:
                return column
        return None


def _columns(spec: str) -> tuple[ColumnSpec, ...]:
    columns = []
    for item in spec.split():
        name, rest = item.split(":", 1)
        kind, default = rest.split("=", 1)
        columns.append(ColumnSpec(name, kind, default))
    return tuple(columns)


class Schema:
    """Lookups in the data above, case-insensitive as the device reads names."""

    def __init__(self, tables: Iterable[tuple[str, str]] = TABLES, parameters: str = PARAMETERS) -> None:
        self._tables = {name.casefold(): TableSpec(name, rank, _columns(spec))
                        for rank, (name, spec) in enumerate(tables)}
        self._parameters = {column.name.casefold(): column for column in _columns(parameters)}

    def table(self, name: str) -> TableSpec | None:
        return self._tables.get(str(name).casefold())

    def column(self, table: str, column: str) -> ColumnSpec | None:
        spec = self.table(table)
        return spec.column(column) if spec is not None else None

    def parameter(self, name: str) -> ColumnSpec | None:
        return self._parameters.get(str(name).casefold())

    def rank(self, table: str) -> int | None:
        """The position of the table in the order devices write tables (None: unknown)."""
        spec = self.table(table)
        return spec.rank if spec is not None else None


SCHEMA = Schema()
