#!/usr/bin/env python3
"""Types a passphrase into the real `age` on a pseudo-terminal (age reads passphrases only from a terminal).

Usage: age_passphrase.py encrypt|decrypt INPUT OUTPUT PASSPHRASE_FILE
`encrypt` runs `age -p -o OUTPUT INPUT` and gives the passphrase twice; `decrypt` runs `age -d -o OUTPUT INPUT`.
The passphrase is read from PASSPHRASE_FILE, never from argv. Exits 0 when age succeeded, 1 otherwise.
"""
import signal
import sys

import pexpect


def main():
    mode, source, target, passphrase_file = sys.argv[1:5]
    with open(passphrase_file, encoding="utf-8") as handle:
        passphrase = handle.read()
    # The Swift test runner blocks some signals, and a blocked mask is inherited across exec: unblock them so that
    # age (and pexpect's handling of its end) behaves as it would from a shell.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGHUP])
    if mode == "encrypt":
        child = pexpect.spawn("age", ["-p", "-o", target, source], encoding="utf-8", timeout=60)
        child.expect("Enter passphrase")
        child.sendline(passphrase)
        child.expect("Confirm passphrase")
        child.sendline(passphrase)
    else:
        child = pexpect.spawn("age", ["-d", "-o", target, source], encoding="utf-8", timeout=60)
        child.expect("Enter passphrase")
        child.sendline(passphrase)
    child.expect(pexpect.EOF)
    child.close()
    if child.exitstatus != 0:
        print("age_passphrase: age failed:", child.before, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
