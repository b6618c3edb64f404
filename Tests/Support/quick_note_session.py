#!/usr/bin/env python3
"""Drives `evidence note` on a real pseudo-terminal: it must ask "What happened?", read lines until an empty
line, never ask for a passphrase, and say it saved.

Usage: quick_note_session.py EVIDENCE_BINARY VAULT_FOLDER
Exits 0 when it behaved, 1 with a message otherwise. Needs the `pexpect` package.
"""
import sys

import pexpect


def main(binary, vault):
    child = pexpect.spawn(binary, ["note", "--vault", vault], encoding="utf-8", timeout=30)
    index = child.expect(["What happened\\?", "Passphrase"])
    if index != 0:
        print("quick_note_session: asked for a passphrase", file=sys.stderr)
        return 1
    child.sendline("He followed me to the bus stop.")
    child.sendline("Second line.")
    child.sendline("")
    child.expect("Saved. It will be added to your journal the next time you open it.")
    child.expect(pexpect.EOF)
    child.close()
    if child.exitstatus != 0:
        print("quick_note_session: exit status", child.exitstatus, file=sys.stderr)
        return 1
    print("quick note session: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
