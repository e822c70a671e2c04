#!/usr/bin/env python3
"""A client of GIMP 2.10's Script-Fu server (plug-in-script-fu-server), Python 3
standard library only:

    script-fu-client.py [--wait SECONDS] PORT EXPRESSION...

Sends each Scheme expression in turn on one connection and prints each reply's
text on a line of its own.  The protocol: a request is 'G', the command's
length in two bytes (big-endian), the command (UTF-8); a reply is 'G', an
error byte (0: success), the text's length in two bytes, the text.  --wait
retries the connection that long while the server starts.  Exits 1 on an error
reply (its text on stderr), 2 when the server cannot be reached, 3 when it
closes the connection without a reply (as after (gimp-quit 1)).
"""
import socket
import sys
import time


def recv_exactly(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("the Script-Fu server closed the connection")
        data += chunk
    return data


def evaluate(sock, expression):
    """Returns (ok, text) for one expression."""
    command = expression.encode("utf-8")
    if len(command) > 0xFFFF:
        raise ValueError("the command is longer than the protocol's 65535 bytes")
    sock.sendall(b"G" + len(command).to_bytes(2, "big") + command)
    header = recv_exactly(sock, 4)
    if header[0:1] != b"G":
        raise ConnectionError("not a Script-Fu server reply: %r" % header)
    text = recv_exactly(sock, int.from_bytes(header[2:4], "big")).decode("utf-8", "replace")
    return header[1] == 0, text


def connect(port, wait):
    deadline = time.monotonic() + wait
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=600)
        except OSError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.5)


def main(argv):
    args = argv[1:]
    wait = 0.0
    if len(args) >= 2 and args[0] == "--wait":
        wait = float(args[1])
        args = args[2:]
    if len(args) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        sock = connect(int(args[0]), wait)
    except OSError as e:
        print("script-fu-client: cannot reach the server on port %s: %s" % (args[0], e), file=sys.stderr)
        return 2
    with sock:
        for expression in args[1:]:
            try:
                ok, text = evaluate(sock, expression)
            except ConnectionError as e:   # (gimp-quit) ends GIMP before it answers
                print("script-fu-client: %s" % e, file=sys.stderr)
                return 3
            if not ok:
                print(text, file=sys.stderr)
                return 1
            print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
