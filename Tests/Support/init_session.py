#!/usr/bin/env python3
"""`evidence init` on a real pseudo-terminal with no folder named: it asks where to keep the vault, explains the
neutral default, takes it on Enter, and takes another folder when one is typed.

Usage: init_session.py EVIDENCE_BINARY SCRATCH_FOLDER
Exits 0 when every step behaved, 1 with a message otherwise.
"""
import os
import sys

import pexpect

PASSPHRASE = "correct horse battery staple"


def fail(message, child=None):
    print("init_session:", message, file=sys.stderr)
    if child is not None:
        print((child.before or "") + str(child.after or ""), file=sys.stderr)
    sys.exit(1)


def init(binary, environment, answer):
    child = pexpect.spawn(binary, ["init", "--kdf", "interactive"], encoding="utf-8", timeout=30, env=environment)
    try:
        child.expect("Where should your journal be kept?")
        child.expect("whose name does not say what it holds")
        child.expect(r"Folder \[.*\]:")
        child.sendline(answer)
        child.expect("New passphrase: ")
        child.sendline(PASSPHRASE)
        child.expect("Type it again: ")
        child.sendline(PASSPHRASE)
        child.expect(pexpect.EOF)
    except (pexpect.TIMEOUT, pexpect.EOF):
        fail("init did not ask as expected", child)
    return child.before


def main(binary, scratch):
    environment = {key: value for key, value in os.environ.items() if key != "EVIDENCE_VAULT"}
    environment["XDG_DATA_HOME"] = os.path.join(scratch, "data")
    output = init(binary, environment, "")
    neutral = os.path.join(scratch, "data", "ej")
    if not os.path.exists(os.path.join(neutral, "vault.json")) or f"Created a new vault at {neutral}." not in output:
        fail("Enter did not make the vault at the neutral default: " + output)
    if "--vault" in output:
        fail("the default folder needs no --vault, but init said it does: " + output)

    chosen = os.path.join(scratch, "stick", "notes")
    environment["XDG_DATA_HOME"] = os.path.join(scratch, "other-data")
    output = init(binary, environment, chosen)
    if not os.path.exists(os.path.join(chosen, "vault.json")):
        fail("the typed folder was not used: " + output)
    if f"--vault {chosen}" not in output:
        fail("init did not say to give the chosen folder to every command: " + output)
    print("init session: ok")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
