#!/usr/bin/env python3
"""Drives `evidence` on a real pseudo-terminal in one interface language (sv or en), as a person would: `init`
with a too-short passphrase chosen again, two wrong passphrases and the right one on the third try, the guided
`add` with `?` explaining, a mistake asked again, `<` going back, a person added on the way, a file attached, the
guided `message add`, three wrong passphrases ending a command, and the menu of `evidence` with no arguments.

The language is chosen once, with `init --ui-lang LANG`; every later command finds it in the journal's folder
(EVIDENCE_LANG is unset and the locale says C).

Usage: language_session.py EVIDENCE_BINARY FOLDER LANG
Exits 0 when every step behaved, 1 with a message otherwise. Needs the `pexpect` package.
"""
import os
import sys

import pexpect

PASSPHRASE = "correct horse battery staple"

WORDS = {
    "sv": {
        "new": "Ny lösenfras: ", "again": "Skriv den igen: ", "too short": "för kort", "created": "En ny dagbok är skapad",
        "passphrase": "Lösenfras: ", "two left": "2 försök kvar", "one left": "1 försök kvar",
        "intro": "Svara på varje fråga", "when": "När hände det?", "explain when": "Datum och tid",
        "not read": "kan jag inte läsa", "guess": "ungefärlig?", "where": "Var hände det?",
        "categories": "Nummer eller ord", "not a category": "är inte ett av slagen",
        "who": "Vem gjorde det?", "not in journal": "Marko finns inte i din dagbok än",
        "relation": "Vem är Marko för dig?", "phone": "Telefonnummer till Marko", "not a phone": "är inte ett telefonnummer",
        "added": "Marko finns nu i din dagbok.", "saw": "Vem såg eller hörde det?",
        "title": "(en rubrik):", "title needed": "En rubrik behövs", "what happened": "Vad hände?",
        "injuries": "Skador, om", "money": "Pengar som krävdes", "files": "Foton eller filer att bifoga",
        "no file": "Det finns ingen fil", "save": "Spara händelsen? [J/n]",
        "preview": ["Inträffade:", "2026-11-29 22:30", "Storgatan 5, Malmö", "hot, förföljelse eller övervakning",
                    "Marko (gjorde det)", "krävt 500 SEK", "Han skrek åt mig."],
        "saved": "Händelse #1 är sparad.", "exhibit": "är sparad som bilaga A1",
        "yes": "j", "category answer": "1,förföljelse", "amount": "krävt:500",
        "channel": "Hur kom det?", "sender": "Vem skickade det?", "received": "När kom det?",
        "message words": "Skriv eller klistra in", "belongs": "Vilken händelse hör det till?",
        "message saved": "Meddelande M1 är sparat.", "error": "evidence: fel: ",
        "menu": "Vad vill du göra?", "menu list": "Visa dagboken", "choose": "Välj 1–8:",
        "not a choice": "är inget av valen", "bye": "Dagboken är låst.",
    },
    "en": {
        "new": "New passphrase: ", "again": "Type it again: ", "too short": "too short", "created": "Created a new vault",
        "passphrase": "Passphrase: ", "two left": "2 tries left", "one left": "1 try left",
        "intro": "Answer each question", "when": "When did it happen?", "explain when": "The date and time",
        "not read": "Could not understand", "guess": "a guess?", "where": "Where did it happen?",
        "categories": "Numbers or names", "not a category": "is not one of the kinds",
        "who": "Who did it?", "not in journal": "Marko is not in your journal yet",
        "relation": "Who is Marko to you?", "phone": "Marko's phone number", "not a phone": "is not a phone number",
        "added": "Marko is now in your journal.", "saw": "Who saw it or heard it?",
        "title": "(a title):", "title needed": "A title is needed", "what happened": "What happened?",
        "injuries": "Injuries, if any", "money": "Money demanded", "files": "Photos or files to attach",
        "no file": "There is no file", "save": "Save this entry? [Y/n]",
        "preview": ["Happened:", "2026-11-29 22:30", "Storgatan 5, Malmö", "threat, stalking or surveillance",
                    "Marko (did it)", "demanded 500 SEK", "Han skrek åt mig."],
        "saved": "Saved entry #1.", "exhibit": "as exhibit A1",
        "yes": "y", "category answer": "1,stalking", "amount": "demanded:500",
        "channel": "How did it come?", "sender": "Who sent it?", "received": "When did it come?",
        "message words": "Type or paste its exact words", "belongs": "Which incident does it belong to?",
        "message saved": "Saved message M1.", "error": "evidence: error: ",
        "menu": "What do you want to do?", "menu list": "Show the journal", "choose": "Choose 1–8:",
        "not a choice": "is not one of the choices", "bye": "Your journal is locked.",
    },
}


def fail(message, child=None):
    print("language_session:", message, file=sys.stderr)
    if child is not None:
        print("--- output so far ---", file=sys.stderr)
        print((child.before or "") + str(child.after or ""), file=sys.stderr)
    sys.exit(1)


def spawn(binary, arguments, env):
    child = pexpect.spawn(binary, arguments, encoding="utf-8", timeout=30, env=env, dimensions=(24, 80))
    child.setecho(True)
    if os.environ.get("SESSION_LOG"):  # to read the whole conversation afterwards
        child.logfile_read = open(os.environ["SESSION_LOG"], "a", encoding="utf-8")
    return child


def expect(child, text):
    try:
        child.expect_exact(text)
    except (pexpect.TIMEOUT, pexpect.EOF):
        fail(f"expected {text!r}", child)


def main(binary, folder, language):
    words = WORDS[language]
    vault = os.path.join(folder, "vault")
    env = {key: value for key, value in os.environ.items() if key not in ("EVIDENCE_LANG", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = "C.UTF-8"
    photo = os.path.join(folder, "arm.jpg")
    with open(photo, "wb") as handle:
        handle.write(b"\xff\xd8\xff\xe0 not really a photo")

    # init: a too-short passphrase is asked again, then twice the same.
    child = spawn(binary, ["init", "--ui-lang", language, "--kdf", "interactive", "--vault", vault], env)
    expect(child, words["new"])
    child.sendline("short")
    expect(child, words["too short"])
    expect(child, words["new"])
    child.sendline(PASSPHRASE)
    expect(child, words["again"])
    child.sendline(PASSPHRASE)
    expect(child, words["created"])
    child.expect(pexpect.EOF)
    if PASSPHRASE in child.before:
        fail("the passphrase was echoed", child)

    # add: in the kept language; two wrong passphrases, then the right one.
    child = spawn(binary, ["add", "--vault", vault], env)
    expect(child, words["passphrase"])
    child.sendline("wrong one")
    expect(child, words["two left"])
    expect(child, words["passphrase"])
    child.sendline("wrong two")
    expect(child, words["one left"])
    expect(child, words["passphrase"])
    child.sendline(PASSPHRASE)
    expect(child, words["intro"])
    steps = [
        (words["when"], "?"),
        (words["explain when"], None),
        (words["when"], "blursday"),
        (words["not read"], None),
        (words["when"], "igår 22:30"),
        (words["guess"], ""),
        (words["where"], "<"),            # back twice, to the time: the earlier answer is offered
        (words["guess"], "<"),
        ("[igår 22:30]", ""),
        (words["guess"], ""),
        (words["where"], "Storgatan 5, Malmö"),
        (words["categories"], "1, 99"),
        (words["not a category"], None),
        (words["categories"], words["category answer"]),
        (words["who"], "Marko"),
        (words["not in journal"], ""),
        (words["relation"], "ex"),
        (words["phone"], "not a number"),
        (words["not a phone"], None),
        (words["phone"], "070-123 45 67"),
        (words["added"], None),
        (words["saw"], ""),
        (words["title"], ""),
        (words["title needed"], None),
        (words["title"], "Hot i trapphuset"),
        (words["what happened"], None),
    ]
    for prompt, answer in steps:
        expect(child, prompt)
        if answer is not None:
            child.sendline(answer)
    child.sendline("Han skrek åt mig.")
    child.sendline(".")
    expect(child, words["injuries"])
    child.sendline("")
    expect(child, words["money"])
    child.sendline(words["amount"])
    expect(child, words["files"])
    child.sendline(os.path.join(folder, "nowhere.jpg"))
    expect(child, words["no file"])
    expect(child, words["files"])
    child.sendline(photo)
    expect(child, words["save"])
    preview = child.before
    for expected in words["preview"]:
        if expected not in preview:
            fail(f"the preview lacks {expected!r}", child)
    child.sendline(words["yes"])
    expect(child, words["saved"])
    expect(child, words["exhibit"])
    child.expect(pexpect.EOF)
    child.close()
    if child.exitstatus != 0:
        fail(f"add ended with {child.exitstatus}", child)

    # message add, guided: nothing given.
    child = spawn(binary, ["message", "add", "--vault", vault], env)
    expect(child, words["passphrase"])
    child.sendline(PASSPHRASE)
    expect(child, words["channel"])
    child.sendline("")
    expect(child, words["sender"])
    child.sendline("Marko")
    expect(child, words["received"])
    child.sendline("igår 22:31")
    expect(child, words["message words"])
    child.sendline("Du kommer att ångra dig.")
    child.sendline(".")
    expect(child, words["belongs"])
    child.sendline("1")
    expect(child, words["message saved"])
    child.expect(pexpect.EOF)

    # Three wrong passphrases end the command, with exit 3 and nothing changed.
    child = spawn(binary, ["list", "--vault", vault], env)
    for attempt in range(3):
        expect(child, words["passphrase"])
        child.sendline(f"wrong {attempt}")
    expect(child, words["error"])
    child.expect(pexpect.EOF)
    child.close()
    if child.exitstatus != 3:
        fail(f"three wrong passphrases ended with {child.exitstatus}, not 3", child)

    # The menu: a wrong choice is asked again; "show" lists the entry; "quit" ends it.
    menu_env = dict(env, EVIDENCE_VAULT=vault)
    child = spawn(binary, [], menu_env)
    expect(child, words["menu"])
    expect(child, words["choose"])
    child.sendline("12")
    expect(child, words["not a choice"])
    expect(child, words["choose"])
    child.sendline("6")
    expect(child, words["passphrase"])
    child.sendline(PASSPHRASE)
    expect(child, "Hot i trapphuset")
    expect(child, words["choose"])
    child.sendline("8")
    expect(child, words["bye"])
    child.expect(pexpect.EOF)
    child.close()
    if child.exitstatus != 0:
        fail(f"the menu ended with {child.exitstatus}", child)
    print(f"language session {language}: ok")


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[3] not in WORDS:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2], sys.argv[3])
