"""What the simulated device serves over TLS, and from which TLS context.

- The HTTPS management listener always serves TLS context 0 ("default"): the vendor's manuals
  say the OAMP interface's secured Web/REST access uses the default context.
- Every SIP interface with a TLS port gets a SIP-TLS listener serving the context the interface
  names in its ``TLSContext`` column (empty: context 0), as the manuals' selection order has it
  for incoming connections that are not classified to a proxy set. A listener completes the TLS
  handshake and then reads (and ignores) what the client sends: it shows which certificate a
  SIP peer would see, it does not speak SIP.
- While a context's private key and certificate disagree, listeners either keep serving the
  last pair that matched (``tls_mismatch: keep-previous``, the default) or refuse handshakes
  (``refuse``): a device that cannot load a usable pair serves nobody.
- ``stale`` (control API) makes every listener keep serving what it serves now, whatever
  changes: a device that did not apply a new certificate or a new context assignment.

See docs/simulator-tls.md.
"""

from __future__ import annotations

import logging
import socketserver
import ssl
import threading

LOG = logging.getLogger("simulator")

SIP_TLS_PORT_MODES = ("ephemeral", "configured")
TLS_MISMATCH_MODES = ("keep-previous", "refuse")
HTTPS_LISTENER = "https"
SIP_READ_TIMEOUT = 5.0


class TlsRefused(OSError):
    """The listener's context has no usable key/certificate pair (tls_mismatch: refuse)."""


class SipTlsHandler(socketserver.BaseRequestHandler):
    """Handshake, then read until the client closes or goes quiet."""

    def handle(self):
        sock = self.request
        try:
            sock.settimeout(SIP_READ_TIMEOUT)
            sock.do_handshake()
            while sock.recv(4096):
                pass
        except (OSError, ValueError):
            return


class SipTlsServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address, provider):
        self._provider = provider
        super().__init__(address, SipTlsHandler)

    def get_request(self):
        sock, address = self.socket.accept()
        return wrap_server_socket(sock, self._provider), address

    def handle_error(self, request, client_address):
        LOG.debug("SIP-TLS connection from %s ended with an error", client_address, exc_info=True)


def wrap_server_socket(sock, provider):
    """The accepted socket wrapped in the provider's SSL context; a refused context closes it
    (an OSError, which socketserver takes as "no request")."""
    try:
        context = provider()
    except TlsRefused:
        sock.close()
        raise
    return context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)


class TlsServing:
    """The device's TLS listeners and the SSL context each TLS context serves."""

    def __init__(self, device, sip_tls_ports: str = "ephemeral", tls_mismatch: str = "keep-previous"):
        self.device = device
        self.sip_tls_ports = sip_tls_ports
        self.tls_mismatch = tls_mismatch
        self._lock = threading.RLock()
        self._ssl_contexts: dict = {}       # TLS context id -> ssl.SSLContext, or None when refused
        self._stale: dict | None = None     # listener key -> ssl.SSLContext while stale
        self._sip: dict = {}                # SIP interface index -> running SIP listener

    # ------------------------------------------------------------------ SSL contexts

    def invalidate(self) -> None:
        """After a change of TLS files or configuration: new connections see the new state."""
        with self._lock:
            self._ssl_contexts.clear()

    def ssl_context(self, ctx: int) -> ssl.SSLContext:
        with self._lock:
            if ctx not in self._ssl_contexts:
                self._ssl_contexts[ctx] = self._build(ctx)
            context = self._ssl_contexts[ctx]
        if context is None:
            raise TlsRefused(f"TLS context {ctx}: the private key does not match the certificate")
        return context

    def _build(self, ctx: int):
        tls = self.device.tls
        if ctx not in tls.context_ids():
            ctx = 0
        if self.tls_mismatch == "refuse" and ctx in tls.mismatched_contexts():
            return None
        cert_pem, key_pem = tls.listener_pair(ctx)
        name = "listener.pem" if ctx == 0 else f"listener-{ctx}.pem"
        path = self.device.flash.write_text(name, key_pem + "\n" + cert_pem, private=True)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        # Devices accept 512/1024-bit keys; the client decides whether it trusts them.
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
        context.load_cert_chain(str(path))
        return context

    def _serve(self, key, context_of) -> ssl.SSLContext:
        with self._lock:
            if self._stale is not None and key in self._stale:
                return self._stale[key]
        return self.ssl_context(context_of())

    def https_provider(self):
        """Provider of the management listener: always TLS context 0."""
        return lambda: self._serve(HTTPS_LISTENER, lambda: 0)

    # ------------------------------------------------------------------ stale listeners (fault)

    @property
    def stale(self) -> bool:
        return self._stale is not None

    def set_stale(self, enabled: bool) -> None:
        with self._lock:
            if not enabled:
                self._stale = None
                return
            if self._stale is not None:
                return
            snapshot = {}
            for key, context_of in [(HTTPS_LISTENER, lambda: 0)] + [
                    (("sip", index), self._interface_context_of(index)) for index in self._sip]:
                try:
                    snapshot[key] = self.ssl_context(context_of())
                except TlsRefused:
                    continue
            self._stale = snapshot

    # ------------------------------------------------------------------ SIP interfaces

    def sip_interfaces(self) -> list:
        """[(index, interface name, TLS port, TLS context id, context name)] of SIP interfaces
        with a TLS port, from the running configuration."""
        running = self.device.running
        by_name = {}
        for row in running.table_rows("TLSContexts"):
            by_name[str(row.get("Name") or "")] = int(row.get("Index", 0))
        interfaces = []
        for row in running.table_rows("SIPInterface"):
            port = int(row.get("TLSPort") or 0)
            if port <= 0:
                continue
            name = str(row.get("TLSContext") or "")
            ctx = by_name.get(name, 0) if name else 0
            context_name = name or next((n for n, i in by_name.items() if i == 0), "default")
            interfaces.append((int(row["Index"]), str(row.get("InterfaceName") or ""), port, ctx, context_name))
        return interfaces

    def _interface_context_of(self, index: int):
        def context_of():
            for found, _name, _port, ctx, _context_name in self.sip_interfaces():
                if found == index:
                    return ctx
            return 0
        return context_of

    def sync_sip(self) -> None:
        """Open and close SIP-TLS listeners to match the running configuration."""
        if not self.device.is_listening():
            return
        wanted = {index: port for index, _name, port, _ctx, _cname in self.sip_interfaces()}
        with self._lock:
            for index in list(self._sip):
                listener = self._sip[index]
                if index not in wanted or listener["tls_port"] != wanted[index]:
                    self._close(self._sip.pop(index))
            for index, port in wanted.items():
                if index not in self._sip:
                    self._sip[index] = self._open(index, port)

    def _open(self, index: int, tls_port: int) -> dict:
        bind_port = tls_port if self.sip_tls_ports == "configured" else 0
        key = ("sip", index)
        listener = {"tls_port": tls_port, "server": None, "error": None}
        try:
            server = SipTlsServer((self.device.address, bind_port),
                                  lambda: self._serve(key, self._interface_context_of(index)))
        except OSError as err:
            listener["error"] = f"cannot listen on {self.device.address}:{bind_port}: {err.strerror or err}"
            LOG.warning("device %s SIP interface %s: %s", self.device.name, index, listener["error"])
            return listener
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                         name=f"sip-tls-{self.device.name}-{index}", daemon=True).start()
        listener["server"] = server
        return listener

    @staticmethod
    def _close(listener: dict) -> None:
        server = listener.get("server")
        if server is not None:
            server.shutdown()
            server.server_close()

    def close_sip(self) -> None:
        with self._lock:
            listeners, self._sip = list(self._sip.values()), {}
        for listener in listeners:
            self._close(listener)

    # ------------------------------------------------------------------ what the control API shows

    def listeners(self) -> list:
        described = []
        if self.device.is_listening() and self.device.protocol == "https":
            described.append({"kind": "https", "context": 0, "address": self.device.address, "port": self.device.port})
        with self._lock:
            running = dict(self._sip)
        for index, name, tls_port, ctx, context_name in self.sip_interfaces():
            listener = running.get(index)
            if listener is None:
                continue
            entry = {"kind": "sip", "interface": name, "index": index, "context": ctx, "context_name": context_name,
                     "address": self.device.address, "tls_port": tls_port,
                     "port": listener["server"].server_address[1] if listener["server"] else None}
            if listener["error"]:
                entry["error"] = listener["error"]
            described.append(entry)
        return described
