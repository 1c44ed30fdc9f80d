"""HTTP for the remote commands (`kg push`, `--endpoint`): one request with a
total deadline, HTTP Basic or Digest credentials, and every failure one line.

Why not urllib: its timeout bounds each socket operation, not the request, so
a server trickling its answer a byte a second holds a request for ever; it
takes ``http://user@host`` for a host name; and it has no Digest client that
resends a body (Virtuoso's Graph Store endpoint asks for Digest).

Credentials come from the environment (KG_ENDPOINT_USER and
KG_ENDPOINT_PASSWORD) or from ``~/.netrc`` (the entry of the endpoint's
host); a user name in the URL (``http://user@host/…``) names the login, whose
password comes from the same places. A password in the URL is refused: it
would be in argv and shell history. Credentials are never printed.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import io
import math
import netrc
import os
import re
import secrets
import socket
import ssl
import time
import urllib.parse
from dataclasses import dataclass
from typing import Final

from kg.errors import StoreError
from kg.store import MAX_TIMEOUT

USER_VARIABLE: Final = "KG_ENDPOINT_USER"
PASSWORD_VARIABLE: Final = "KG_ENDPOINT_PASSWORD"


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    content_type: str
    body: bytes


def check_timeout(seconds: float) -> float:
    """`seconds` if it can bound a request: finite, above 0, at most a day."""
    if not (math.isfinite(seconds) and 0 < seconds <= MAX_TIMEOUT):
        raise StoreError(f"timeout {seconds!r}: give seconds above 0 and at most "
                         f"{MAX_TIMEOUT:g}")
    return seconds


@dataclass
class Session:
    """Requests to one server: the credentials, and the Digest challenge the
    server gave last, so that later requests answer it at once (RFC 7616 §3.4:
    the nonce count goes up by one per request)."""

    credentials: tuple[str, str] | None
    challenge: dict[str, str] | None = None
    nonce_count: int = 0
    probed: bool = False  # asked once for a challenge the server did not give

    @classmethod
    def for_url(cls, url: str) -> Session:
        refuse_password_in(url)
        return cls(credentials_for(url))

    def request(
        self, method: str, url: str, data: bytes, headers: dict[str, str],
        timeout: float,
    ) -> Answer:
        """Status, Content-Type and body of `method url`, within `timeout`
        seconds in all (connecting, sending, the headers and every byte of the
        body). An HTTP error status is returned; a server that cannot be
        reached, does not speak HTTP or is too slow raises `StoreError`."""
        check_timeout(timeout)
        deadline = time.monotonic() + timeout
        answer = self._send(method, url, data, headers, deadline, timeout)
        if answer.status == 401 and self.credentials is not None:
            challenge = _digest_challenge(answer.headers)
            if challenge is None and self.challenge is None and not self.probed:
                # Virtuoso answers Basic credentials with a bare 401 and
                # gives its Digest challenge only to a request without any:
                # ask once, with HEAD (GSP §5.5), which changes nothing.
                self.probed = True
                probe = self._send("HEAD", url, b"", {}, deadline, timeout,
                                   authorize=False)
                challenge = _digest_challenge(probe.headers)
            if challenge is not None:
                self.challenge, self.nonce_count = challenge, 0
                answer = self._send(method, url, data, headers, deadline, timeout)
        return Answer(answer.status, answer.headers.get("Content-Type", ""),
                      without_credentials(answer.body, self.credentials))

    def _send(
        self, method: str, url: str, data: bytes, headers: dict[str, str],
        deadline: float, timeout: float, *, authorize: bool = True,
    ) -> _Raw:
        headers = dict(headers)
        if self.credentials is not None and authorize:
            headers["Authorization"] = self._authorization(method, url)
        try:
            return _exchange(method, url, data, headers, deadline)
        except TimeoutError as error:
            raise StoreError(f"{shown_url(url)}: no answer within "
                             f"{timeout:g} s") from error
        except ConnectionRefusedError as error:
            raise StoreError(f"{shown_url(url)}: connection refused (is the server "
                             "running on that port?)") from error
        except socket.gaierror as error:
            host = urllib.parse.urlsplit(url).hostname
            raise StoreError(f"{shown_url(url)}: unknown host {host!r} "
                             f"({error.strerror})") from error
        except http.client.HTTPException as error:
            raise StoreError(f"{shown_url(url)}: not an HTTP answer "
                             f"({_exception_text(error)})") from error
        except (ssl.SSLError, OSError, ValueError) as error:
            raise StoreError(f"{shown_url(url)}: {_exception_text(error)}") from error

    def _authorization(self, method: str, url: str) -> str:
        assert self.credentials is not None
        if self.challenge is None:
            return basic(self.credentials)
        self.nonce_count += 1
        return _digest(self.credentials, self.challenge, method, url,
                       self.nonce_count)


# --- one exchange ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Raw:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


class _DeadlineReader(io.RawIOBase):
    """The socket's bytes, each read given only the time left: a body trickled
    a byte at a time still ends at the deadline."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("deadline passed")
        self._sock.settimeout(left)
        return self._sock.recv_into(buffer)


def _response_class(deadline: float) -> type[http.client.HTTPResponse]:
    class DeadlineResponse(http.client.HTTPResponse):
        def __init__(self, sock: socket.socket, *args: object, **kwargs: object
                     ) -> None:
            super().__init__(sock, *args, **kwargs)  # type: ignore[arg-type]
            # Kept open until the response closes: it holds the socket's file
            # descriptor, which the connection's close() only marks closed.
            self._socket_file = self.fp
            self.fp = io.BufferedReader(_DeadlineReader(sock, deadline))

        def close(self) -> None:
            super().close()
            self._socket_file.close()

    return DeadlineResponse


def _exchange(
    method: str, url: str, data: bytes, headers: dict[str, str], deadline: float
) -> _Raw:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("give an http:// or https:// URL with a host")
    connection_class = (http.client.HTTPSConnection if parts.scheme == "https"
                        else http.client.HTTPConnection)
    left = deadline - time.monotonic()
    if left <= 0:  # a socket timeout of 0 would mean non-blocking
        raise TimeoutError("deadline passed")
    connection = connection_class(parts.hostname, parts.port, timeout=left)
    connection.response_class = _response_class(deadline)
    target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    try:
        connection.request(method, target, body=data, headers=headers)
        response = connection.getresponse()
        try:
            chunks = []
            while chunk := response.read1(1 << 16):
                chunks.append(chunk)
            return _Raw(response.status, response.headers, b"".join(chunks))
        finally:
            response.close()
    finally:
        connection.close()


def _exception_text(error: BaseException) -> str:
    if isinstance(error, http.client.BadStatusLine):
        line = str(error.args[0] if error.args else "")[:80]
        return f"the status line is {line!r}"
    text = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__


# --- credentials ---------------------------------------------------------------


def shown_url(url: str) -> str:
    """`url` as messages show it: a user name stays, a password never shows."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username}:***@{parts.netloc.rpartition('@')[2]}"
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def refuse_password_in(url: str) -> None:
    """A password in the URL would be in argv, shell history and every
    message naming the URL: refuse it, without repeating it."""
    if urllib.parse.urlsplit(url).password is None:
        return
    raise StoreError(
        f"{shown_url(url)}: the URL holds a password (put it in "
        f"{PASSWORD_VARIABLE} or ~/.netrc, not on the command line)"
    )


def credentials_for(url: str) -> tuple[str, str] | None:
    """User and password from the environment or ~/.netrc; a user name in the
    URL picks the login."""
    parts = urllib.parse.urlsplit(url)
    url_user = urllib.parse.unquote(parts.username) if parts.username else None
    user = os.environ.get(USER_VARIABLE)
    password = os.environ.get(PASSWORD_VARIABLE)
    if password is not None and (user is not None or url_user is not None):
        return url_user or user or "", password
    entry = _netrc_entry(parts.hostname or "")
    if entry is not None and (url_user is None or entry[0] == url_user):
        return entry
    if url_user is not None:  # a login without a password: let the server say
        return url_user, password or ""
    return None


def _netrc_entry(host: str) -> tuple[str, str] | None:
    try:
        entry = netrc.netrc().authenticators(host)
    except FileNotFoundError:
        return None
    except netrc.NetrcParseError as error:
        # Name the line only: the parser's message may quote a token of
        # the file, which can be a password.
        raise StoreError(
            f"{error.filename}: line {error.lineno} cannot be parsed as netrc"
        ) from error
    except OSError as error:
        raise StoreError(f"~/.netrc: cannot be read ({error.strerror})") from error
    if entry is None:
        return None
    login, _, secret = entry
    return login or "", secret or ""


def basic(credentials: tuple[str, str]) -> str:
    """HTTP Basic credentials (RFC 7617)."""
    user, password = credentials
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


_CHALLENGE_PARAM: Final = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


def _digest_challenge(headers: http.client.HTTPMessage) -> dict[str, str] | None:
    """The parameters of a `WWW-Authenticate: Digest …` challenge (RFC 7616
    §3.3) with an algorithm this client speaks, else None."""
    for value in headers.get_all("WWW-Authenticate") or []:
        scheme, _, rest = value.strip().partition(" ")
        if scheme.lower() != "digest":
            continue
        params = {m[1].lower(): m[2] if m[2] is not None else m[3]
                  for m in _CHALLENGE_PARAM.finditer(rest)}
        algorithm = params.get("algorithm", "MD5").upper()
        if "nonce" in params and algorithm in _DIGEST_HASHES:
            return params
    return None


_DIGEST_HASHES: Final = {"MD5": "md5", "SHA-256": "sha256"}


def _digest(
    credentials: tuple[str, str], challenge: dict[str, str], method: str,
    url: str, nonce_count: int,
) -> str:
    """The Authorization value answering `challenge` (RFC 7616 §3.4, qop
    "auth" or none)."""
    algorithm = challenge.get("algorithm", "MD5").upper()

    def digest(text: str) -> str:
        return hashlib.new(_DIGEST_HASHES[algorithm], text.encode()).hexdigest()

    user, password = credentials
    realm, nonce = challenge.get("realm", ""), challenge["nonce"]
    parts = urllib.parse.urlsplit(url)
    uri = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    ha1 = digest(f"{user}:{realm}:{password}")
    ha2 = digest(f"{method}:{uri}")
    fields = [f'username="{user}"', f'realm="{realm}"', f'nonce="{nonce}"',
              f'uri="{uri}"', f"algorithm={algorithm}"]
    qops = [q.strip() for q in challenge.get("qop", "").split(",")]
    if "auth" in qops:
        cnonce = secrets.token_hex(8)
        count = f"{nonce_count:08x}"
        response = digest(f"{ha1}:{nonce}:{count}:{cnonce}:auth:{ha2}")
        fields += ["qop=auth", f"nc={count}", f'cnonce="{cnonce}"']
    else:
        response = digest(f"{ha1}:{nonce}:{ha2}")
    fields.append(f'response="{response}"')
    if "opaque" in challenge:
        fields.append(f'opaque="{challenge["opaque"]}"')
    return "Digest " + ", ".join(fields)


_CREDENTIALS_HIDDEN: Final = b"[credentials hidden]"
# An Authorization header's value as a server may echo it (RFC 9110 §11.4).
_AUTHORIZATION_VALUE: Final = re.compile(rb"(?i)\b(Basic|Bearer|Digest)\s+[^\s\"',;]+")


def without_credentials(body: bytes, credentials: tuple[str, str] | None) -> bytes:
    """`body` with anything that may be a credential replaced: a server may
    echo the request's Authorization header in an error page."""
    body = _AUTHORIZATION_VALUE.sub(rb"\1 " + _CREDENTIALS_HIDDEN, body)
    if credentials is not None and credentials[1]:
        password = credentials[1]
        token = basic(credentials).split(" ", 1)[1]
        for form in sorted({password, token, urllib.parse.quote(password),
                            urllib.parse.quote(password, safe="")}, key=len,
                           reverse=True):
            body = body.replace(form.encode("utf-8"), _CREDENTIALS_HIDDEN)
    return body


def failure(url: str, status: int, body: bytes) -> str:
    """One line for an HTTP error status: the status and the body's first line."""
    first_line = body.decode("utf-8", "replace").strip().split("\n", 1)[0][:200]
    hint = ""
    if status in (401, 403):
        hint = (f" (set {USER_VARIABLE} and {PASSWORD_VARIABLE}, or a "
                "~/.netrc entry for the host)")
    return (f"{shown_url(url)}: HTTP {status}"
            + (f": {first_line}" if first_line else "") + hint)
