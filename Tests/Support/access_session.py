#!/usr/bin/env python3
"""Drives `evidence` on a real pseudo-terminal: a wrong passphrase typed at the prompt is recorded as typed at the
terminal, and the next unlock (typed too) says so before anything else.

Usage: access_session.py EVIDENCE_BINARY VAULT_FOLDER
Exits 0 when every step behaved, 1 with a message otherwise. Needs the `pexpect` package.
"""
import json
import sys

import pexpect

PASSPHRASE = "correct horse battery staple"
WRONG = "canary-typed-Wr0ng-91c2"


def spawn(binary, vault, *arguments):
    return pexpect.spawn(binary, list(arguments) + ["--vault", vault], encoding="utf-8", timeout=30)


def fail(message, child=None):
    print("access_session:", message, file=sys.stderr)
    if child is not None:
        print("--- output so far ---", file=sys.stderr)
        print((child.before or "") + str(child.after or ""), file=sys.stderr)
    sys.exit(1)


def main(binary, vault):
    child = spawn(binary, vault, "init", "--kdf", "interactive")
    child.expect("New passphrase: ")
    child.sendline(PASSPHRASE)
    child.expect("Type it again: ")
    child.sendline(PASSPHRASE)
    child.expect(pexpect.EOF)

    # At the terminal a wrong passphrase is asked again, three tries in all; each wrong one is recorded.
    child = spawn(binary, vault, "list")
    for left in ["2 tries left", "1 try left", None]:
        child.expect("Passphrase: ")
        child.sendline(WRONG)
        if left:
            child.expect_exact(left)
    child.expect(pexpect.EOF)
    child.close()
    if child.exitstatus != 3:
        fail(f"a wrong passphrase exited {child.exitstatus}, not 3", child)
    if "passphrase is wrong" not in child.before:
        fail("no wrong-passphrase message", child)

    child = spawn(binary, vault, "access", "--json")
    child.expect("Passphrase: ")
    child.sendline(PASSPHRASE)
    child.expect(pexpect.EOF)
    child.close()
    output = child.before.replace("\r\n", "\n")
    if child.exitstatus != 0:
        fail(f"access exited {child.exitstatus}", child)
    lines = [line for line in output.split("\n") if line.strip()]
    if not lines or not lines[0].startswith(
        "evidence: Someone typed a wrong passphrase 3 times since you last opened your journal: "
    ):
        fail("the notice is not the first thing said", child)
    start = output.index("[")
    attempts = json.loads(output[start:])
    if [(a["command"], a["entry"]) for a in attempts] != [("list", "terminal")] * 3:
        fail(f"the attempt is recorded as {attempts}", child)
    print("access session: ok")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
