"""A TCP proxy a test owns, to take a database away from a server without stopping the database.

    with TcpProxy("127.0.0.1", 5432) as proxy:   # point the server at 127.0.0.1:proxy.port
        proxy.cut()        # every open connection dropped, new ones closed at once
        proxy.cut(hang=True)   # ... or accepted and never answered, like a host gone silent
        proxy.restore()    # connections pass again

Threads, not asyncio: the test's own code stays synchronous, and a proxy
carrying one server's dozen pooled connections needs no more.
"""

from __future__ import annotations

import contextlib
import socket
import threading


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._state = "open"  # "open", "refuse" or "hang"
        self._closed = False
        self._acceptor = threading.Thread(target=self._accept, name="tcp-proxy-accept", daemon=True)

    def __enter__(self) -> TcpProxy:
        self._acceptor.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._closed = True
        self._listener.close()
        self._drop_all()

    def cut(self, *, hang: bool = False) -> None:
        """Drop every connection; from now on refuse new ones (close them at once) or, with `hang`, ignore them."""
        with self._lock:
            self._state = "hang" if hang else "refuse"
        self._drop_all()

    def restore(self) -> None:
        with self._lock:
            self._state = "open"
        self._drop_all()  # connections left hanging while cut end now, as the client gave up on them long ago

    def _drop_all(self) -> None:
        with self._lock:
            doomed, self._open = self._open, set()
        for sock in doomed:
            _close(sock)

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return  # the listener was closed
            with self._lock:
                state = self._state
            if state == "refuse":
                _close(client)
                continue
            if state == "hang":
                with self._lock:
                    self._open.add(client)  # held open, never read: the client's own timeout must end it
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _close(client)
                continue
            upstream.settimeout(None)
            with self._lock:
                self._open.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    _close(source)
    _close(sink)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
