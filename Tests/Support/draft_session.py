#!/usr/bin/env python3
"""Drives `evidence add` on a real pseudo-terminal and interrupts it, as a person would who has to stop at once:
a guided `add` killed with SIGINT (Ctrl-C) after two answers and half an account, then the next `add`, which must
offer the unfinished entry with those answers and save it; then a draft kept as a quick note, and one discarded.
Also `message add` given a wrong passphrase: its text is kept and offered by the next `message add`.

Usage: draft_session.py EVIDENCE_BINARY VAULT_FOLDER CANARY
The vault must exist with passphrase PASSPHRASE below. CANARY is a word typed into the draft; the caller searches
the vault folder for it afterwards. Exits 0 when every step behaved, 1 with a message otherwise.
"""
import os
import signal
import subprocess
import sys

import pexpect

PASSPHRASE = "correct horse battery staple"


def spawn(binary, vault, *arguments):
    return pexpect.spawn(binary, list(arguments) + ["--vault", vault], encoding="utf-8", timeout=30)


def unlock(child, passphrase=PASSPHRASE):
    child.expect("Passphrase: ")
    child.sendline(passphrase)


def fail(message, child=None):
    print("draft_session:", message, file=sys.stderr)
    if child is not None:
        print("--- output so far ---", file=sys.stderr)
        print((child.before or "") + str(child.after or ""), file=sys.stderr)
    sys.exit(1)


def expect(child, pattern):
    try:
        child.expect(pattern)
    except (pexpect.TIMEOUT, pexpect.EOF):
        fail(f"no {pattern!r}", child)


def inbox_items(vault):
    folder = os.path.join(vault, "inbox")
    return sorted(name for name in os.listdir(folder) if name.endswith(".item") and not name.startswith("."))


def interrupted_add(binary, vault, when, place, lines):
    child = spawn(binary, vault, "add")
    unlock(child)
    expect(child, "When did it happen")
    child.sendline(when)
    expect(child, "guess")
    child.sendline("")
    expect(child, "Where did it happen")
    child.sendline(place)
    expect(child, "separated by commas:")
    child.sendline("1")
    expect(child, "Who did it")
    child.sendline("")
    expect(child, "Who saw it")
    child.sendline("")
    expect(child, "a title")
    child.sendline("At the door")
    expect(child, "What happened")
    # Each line is sealed once it is read: wait for the draft to change after each, then Ctrl-C.
    for line in lines + ["one more line"]:
        before = inbox_items(vault)
        child.sendline(line)
        for _ in range(200):
            if inbox_items(vault) != before:
                break
            child.expect(pexpect.TIMEOUT, timeout=0.05)
        else:
            fail(f"the line {line!r} was not kept as a draft", child)
    child.kill(signal.SIGINT)
    child.expect(pexpect.EOF)
    child.wait()
    if child.exitstatus == 0:
        fail("the interrupted add exited with success", child)


def main(binary, vault, canary):
    # A test runner may start this script with SIGINT blocked or ignored, which its children would inherit; a
    # person's terminal does not.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGINT, signal.SIGTERM])
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    interrupted_add(binary, vault, "yesterday 22:30", "Storgatan 5", [f"He banged on the door, {canary}."])
    if len(inbox_items(vault)) != 1:
        fail(f"expected one draft in inbox/, found {inbox_items(vault)}")

    # The next add offers it, with the answers given; Enter keeps each one.
    child = spawn(binary, vault, "add")
    unlock(child)
    expect(child, r"You have an unfinished entry from 30 Nov \d\d:\d\d\. Continue it\? \[Y/n\]")
    child.sendline("")
    expect(child, r"When did it happen.*\[yesterday 22:30\]")
    child.sendline("")
    expect(child, "guess")
    child.sendline("")
    expect(child, r"Where did it happen\? \[Storgatan 5\]")
    child.sendline("")
    expect(child, r"separated by commas: \[1\]")
    child.sendline("")
    expect(child, "Who did it")
    child.sendline("")
    expect(child, "Who saw it")
    child.sendline("")
    expect(child, r"a title\): \[At the door\]")
    child.sendline("")
    expect(child, "What you wrote before:")
    expect(child, f"He banged on the door, {canary}.")
    expect(child, "one more line")
    expect(child, "Go on writing where you stopped")
    child.sendline("Then he left.")
    child.sendline(".")
    expect(child, "Injuries")
    child.sendline("")
    expect(child, "Money")
    child.sendline("")
    expect(child, "Photos or files")
    child.sendline("")
    expect(child, "Save this entry")
    preview = child.before
    for expected in ["Storgatan 5", "At the door", f"He banged on the door, {canary}.\r\none more line\r\nThen he left."]:
        if expected not in preview:
            fail(f"the preview lacks {expected!r}", child)
    child.sendline("y")
    expect(child, pexpect.EOF)
    if "Saved entry #1." not in child.before:
        fail("the continued entry was not saved", child)
    if inbox_items(vault):
        fail(f"the draft stayed in inbox/ after its entry was saved: {inbox_items(vault)}")

    # A second draft, kept as a quick note instead.
    interrupted_add(binary, vault, "today 09:15", "Hemma", ["Second draft."])
    child = spawn(binary, vault, "add")
    unlock(child)
    expect(child, "Continue it")
    child.sendline("n")
    expect(child, r"Keep what you typed then as a quick note instead\? \[Y/n\]")
    child.sendline("y")
    expect(child, r"Kept as a quick note: entry #2\.")
    expect(child, "When did it happen")
    child.sendintr()
    child.expect(pexpect.EOF)
    child = spawn(binary, vault, "show", "2")
    unlock(child)
    expect(child, pexpect.EOF)
    for expected in ["At the door", "Second draft.", "Where: Hemma", "quick note"]:
        if expected not in child.before:
            fail(f"the quick note made of the draft lacks {expected!r}", child)

    # A third, discarded: it takes two answers.
    interrupted_add(binary, vault, "today 10:00", "Bussen", ["Third draft."])
    child = spawn(binary, vault, "add")
    unlock(child)
    expect(child, "Continue it")
    child.sendline("n")
    expect(child, "quick note instead")
    child.sendline("n")
    expect(child, r"Discard it\? What you typed then will be gone\. \[y/N\]")
    child.sendline("")
    expect(child, "Kept for later")
    child.sendintr()
    child.expect(pexpect.EOF)
    if not inbox_items(vault):
        fail("a draft was discarded on one answer")
    child = spawn(binary, vault, "add")
    unlock(child)
    expect(child, "Continue it")
    child.sendline("n")
    expect(child, "quick note instead")
    child.sendline("n")
    expect(child, "Discard it")
    child.sendline("y")
    expect(child, "Discarded.")
    child.sendintr()
    child.expect(pexpect.EOF)
    leftovers = [name for name in inbox_items(vault)]
    if leftovers:
        fail(f"the discarded draft is still in inbox/: {leftovers}")

    # message add: the text typed before a wrong passphrase is kept.
    child = pexpect.spawn(
        "/bin/sh",
        ["-c", f"printf 'Du kommer att ångra dig {canary}' | '{binary}' message add --channel sms --at 'today 08:00' "
               f"--from 0701234567 --text-file - --vault '{vault}' --passphrase-fd 3 3<<EOF\nwrong\nEOF"],
        encoding="utf-8", timeout=30)
    child.expect(pexpect.EOF)
    child.wait()
    if child.exitstatus == 0 or "text is kept" not in child.before:
        fail("a wrong passphrase after the message's text did not keep it", child)
    newer = os.path.join(os.path.dirname(os.path.abspath(vault)), "newer-message.txt")
    with open(newer, "w", encoding="utf-8") as file:
        file.write("Svara mig nu")
    child = spawn(binary, vault, "message", "add", "--channel", "sms", "--at", "today 09:00", "--text-file", newer)
    unlock(child)
    expect(child, "You have an unfinished message from")
    child.sendline("y")
    expect(child, r"Saved the message you gave then as M1\.")
    expect(child, r"Saved message M2\.")
    child.expect(pexpect.EOF)
    child = spawn(binary, vault, "messages")
    unlock(child)
    child.expect(pexpect.EOF)
    if f"Du kommer att ångra dig {canary}" not in child.before or "Svara mig nu" not in child.before:
        fail("the kept message was not saved with its text, or the new one not with its own", child)
    print("draft session: ok")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2], sys.argv[3])
