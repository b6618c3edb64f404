#!/usr/bin/env python3
"""Drives `evidence decrypt` of a passphrase-protected age file on a real pseudo-terminal: the passphrase is asked
for on the terminal and not echoed, a wrong one is refused with exit 3 and leaves no file, the right one writes it.

Usage: decrypt_session.py EVIDENCE_BINARY FILE.age OUTPUT PASSPHRASE_FILE
Exits 0 when every step behaved, 1 with a message otherwise.
"""
import os
import signal
import sys

import pexpect


def fail(message, child=None):
    print("decrypt_session:", message, file=sys.stderr)
    if child is not None:
        print("--- output so far ---", file=sys.stderr)
        print((child.before or "") + str(child.after or ""), file=sys.stderr)
    sys.exit(1)


def run(binary, sealed, output, passphrase):
    child = pexpect.spawn(binary, ["decrypt", sealed, "--out", output], encoding="utf-8", timeout=60)
    try:
        child.expect("Passphrase for ")
    except (pexpect.TIMEOUT, pexpect.EOF):
        fail("no passphrase prompt", child)
    child.sendline(passphrase)
    child.expect(pexpect.EOF)
    child.close()
    if passphrase in (child.before or ""):
        fail("the passphrase was echoed", child)
    return child


def main():
    binary, sealed, output, passphrase_file = sys.argv[1:5]
    with open(passphrase_file, encoding="utf-8") as handle:
        passphrase = handle.read().strip("\n")
    # The test runner's blocked signals are inherited across exec; unblock them as a shell would have them.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGHUP])
    wrong = run(binary, sealed, output, "not the passphrase")
    if wrong.exitstatus != 3:
        fail(f"a wrong passphrase gave exit {wrong.exitstatus}, not 3", wrong)
    if os.path.exists(output):
        fail("a wrong passphrase left an output file")
    right = run(binary, sealed, output, passphrase)
    if right.exitstatus != 0:
        fail(f"the right passphrase gave exit {right.exitstatus}", right)
    if not os.path.exists(output):
        fail("no output file after the right passphrase")


if __name__ == "__main__":
    main()
