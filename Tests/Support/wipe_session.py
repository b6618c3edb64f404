#!/usr/bin/env python3
"""Drives `evidence wipe --without-backup` on a real pseudo-terminal: it must say plainly what will be gone, never
ask for a passphrase, stop on any answer but the word, and wipe on the Swedish word too.

Usage: wipe_session.py EVIDENCE_BINARY VAULT_FOLDER
Exits 0 when it behaved, 1 with a message otherwise. Needs the `pexpect` package.
"""
import os
import sys

import pexpect


def session(binary, vault, answer):
    child = pexpect.spawn(binary, ["wipe", "--without-backup", "--vault", vault], encoding="utf-8", timeout=30)
    index = child.expect(["will be gone and cannot be brought back", "Passphrase"])
    if index != 0:
        raise SystemExit("wipe_session: asked for a passphrase")
    child.expect("Type ERASE \\(or RADERA\\) to wipe it")
    child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.before


def main(binary, vault):
    status, _ = session(binary, vault, "erase please")
    if status != 1 or not os.path.exists(os.path.join(vault, "vault.json")):
        print("wipe_session: a wrong answer wiped, or did not exit 1:", status, file=sys.stderr)
        return 1
    status, _ = session(binary, vault, "RADERA")
    if status != 0 or os.path.exists(vault):
        print("wipe_session: RADERA did not wipe:", status, file=sys.stderr)
        return 1
    print("wipe session: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
