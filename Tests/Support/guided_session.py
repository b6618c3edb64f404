#!/usr/bin/env python3
"""Drives `evidence` on a real pseudo-terminal, as a person would: the passphrase prompts (which must not
echo) and the guided `add` with its step-by-step questions, including wrong answers that are asked again.

Usage: guided_session.py EVIDENCE_BINARY VAULT_FOLDER
Exits 0 when every step behaved, 1 with a message otherwise. Needs the `pexpect` package.
"""
import sys

import pexpect

PASSPHRASE = "correct horse battery staple"


def spawn(binary, vault, *arguments):
    child = pexpect.spawn(binary, list(arguments) + ["--vault", vault], encoding="utf-8", timeout=30)
    child.setecho(True)
    return child


def unlock(child):
    child.expect("Passphrase: ")
    child.sendline(PASSPHRASE)


def fail(message, child=None):
    print("guided_session:", message, file=sys.stderr)
    if child is not None:
        print("--- output so far ---", file=sys.stderr)
        print((child.before or "") + str(child.after or ""), file=sys.stderr)
    sys.exit(1)


def main(binary, vault):
    child = spawn(binary, vault, "init", "--kdf", "interactive")
    child.expect("New passphrase: ")
    child.sendline(PASSPHRASE)
    child.expect("Type it again: ")
    child.sendline(PASSPHRASE + " typo")
    # Two different passphrases are not taken: the new one is asked for again.
    child.expect("were not the same")
    child.expect("New passphrase: ")
    child.sendline(PASSPHRASE)
    child.expect("Type it again: ")
    child.sendline(PASSPHRASE)
    child.expect(pexpect.EOF)
    if PASSPHRASE in child.before:
        fail("the passphrase was echoed", child)
    if "Created a new vault" not in child.before:
        fail("init did not create the vault", child)

    child = spawn(binary, vault, "person", "add", "Marko", "--alias", "M")
    unlock(child)
    child.expect(pexpect.EOF)

    child = spawn(binary, vault, "add")
    unlock(child)
    steps = [
        ("When did it happen", "next blursday"),
        ("Could not understand", "igår 22:30"),
        ("guess", ""),
        ("Where did it happen", "Storgatan 5, Malmö"),
        ("separated by commas:", "1, 99"),
        ("is not one of the kinds", "1,stalking"),
        ("Who did it", "Nobody"),
        ("Nobody is not in your journal yet", "n"),
        ("without Nobody", None),
        ("Who did it", "M"),
        ("Who saw it", ""),
        ("a title", "Threats in the stairwell"),
    ]
    for prompt, answer in steps:
        try:
            child.expect(prompt)
        except pexpect.TIMEOUT:
            fail(f"no prompt {prompt!r}", child)
        if answer is not None:
            child.sendline(answer)
    child.expect("What happened")
    child.sendline("He shouted at me.")
    child.sendline("Then he left in a white van.")
    child.sendline(".")
    child.expect("Injuries")
    child.sendline("")
    child.expect("Money")
    child.sendline("demanded:500")
    child.expect("Photos or files")
    child.sendline("")
    child.expect("Save this entry")
    preview = child.before
    for expected in ["Storgatan 5, Malmö", "threat, stalking or surveillance", "Marko (did it)", "demanded 500 SEK",
                     "He shouted at me.\r\nThen he left in a white van."]:
        if expected not in preview:
            fail(f"the preview lacks {expected!r}", child)
    child.sendline("y")
    child.expect(pexpect.EOF)
    if "Saved entry #1." not in child.before:
        fail("the entry was not saved", child)

    child = spawn(binary, vault, "show", "1")
    unlock(child)
    child.expect(pexpect.EOF)
    if "Then he left in a white van." not in child.before:
        fail("show does not print the narrative", child)
    # Ctrl-C at the passphrase prompt must leave the terminal echoing again.
    shell = pexpect.spawn("/bin/sh", encoding="utf-8", timeout=30, env={"PS1": "$ ", "PATH": "/usr/bin:/bin"})
    shell.expect_exact("$ ")
    shell.sendline(f"'{binary}' list --vault '{vault}'")
    shell.expect("Passphrase: ")
    shell.sendintr()
    shell.expect_exact("$ ")
    shell.sendline("stty -a | tr ' ' '\\n' | grep -x -- '-*echo'; echo done")
    shell.expect("done\r\n")
    if "-echo" in shell.before.split():
        fail("after Ctrl-C at the passphrase prompt the terminal no longer echoes", shell)
    shell.sendline("exit")
    print("guided session: ok")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
