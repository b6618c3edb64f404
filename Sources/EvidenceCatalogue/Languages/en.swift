// The interface in English: the language every other catalogue is checked against.
//
// To add a language, copy this file to `xx.swift` (xx: the ISO 639-1 code), rename `english` and fill in
// `code` and `name`, write each wording in your language (keep every {placeholder}; they are filled in by the
// program), and add the catalogue to `Catalogue.all` in Catalogue.swift. `swift test --filter CatalogueTests`
// says what is missing.

extension Catalogue {
  /// English.
  public static let english = Catalogue(
    code: "en", name: "English",
    wordings: [
      // Around every command
      .diagnosticError: "error",
      .diagnosticHint: "hint",
      .diagnosticWarning: "warning",
      .rootAbstract: "An encrypted journal of what happened to you, kept for the day you report it to the police.",
      .rootDiscussion: """
      Everything is encrypted with your passphrase. Nothing you write is stored unencrypted.
      If you are in danger now, call 112.
      Run it with no command on a terminal for a menu. --ui-lang sv or --ui-lang en chooses the language (also \
      EVIDENCE_LANG); the journal remembers the choice.
      """,
      .commandLineMistakeHint: "`{program} help` lists the commands; `{program} help <command>` explains one.",
      .commandLineMistake: "{detail}",
      .unknownInterfaceLanguage: "There is no \"{given}\" interface: --ui-lang takes one of {codes}.",
      .interfaceLanguageMissing: "--ui-lang needs a language: --ui-lang sv or --ui-lang en.",
      .interfaceLanguageNotKept: "The choice of language could not be kept in the journal's folder ({reason}).",
      .coreDumpsNotOff: "Core dumps could not be turned off: if evidence crashes, its memory may be written to disk.",
      .helpOverview: "OVERVIEW:",
      .helpUsage: "USAGE:",
      .helpArguments: "ARGUMENTS:",
      .helpOptions: "OPTIONS:",
      .helpSubcommands: "SUBCOMMANDS:",
      .helpShowHelp: "Show help information.",
      .helpShowVersion: "Show the version.",

      // Errors of the journal
      .errorWrongPassphrase: "The passphrase is wrong (or the vault header was altered).",
      .errorWrongPassphraseHint: "Check Caps Lock and the keyboard layout (å, ä, ö), then try again.",
      .errorBusy: "The vault is busy: another evidence command is using it.",
      .errorBusyHint: "Wait for it to finish, then try again.",

      // Answers
      .yesNoDefaultYes: "[Y/n]",
      .yesNoDefaultNo: "[y/N]",
      .yesWords: "y yes",
      .noWords: "n no",
      .answerYesOrNo: "Answer y (yes) or n (no).",

      // Passphrase
      .passphrasePrompt: "Passphrase: ",
      .passphraseTryAgain: .plural(
        one: "That passphrase does not open this journal. Try again (1 try left).",
        other: "That passphrase does not open this journal. Try again ({count} tries left)."),

      // The commands' one-line help
      .abstractPasswd: "Change the passphrase; with --rekey, also the keys.",
      .abstractList: "List incidents in the order they happened.",
      .abstractDecrypt: "Decrypt an age file (.age): a sealed export, or any file made with age.",
      .abstractWipe: "Destroy this vault on this computer, in an emergency. It cannot be undone.",
      .abstractPerson: "The people in your journal: who did what, who saw it.",
      .abstractPersonAdd: "Add a person.",
      .abstractPersonAmend:
        "Add a number, alias, address or handle to a person, or change their name, relation or notes.",
      .abstractPersonList: "List the people.",
      .abstractMessage: "Save a threat or other message you received, by hand.",
      .abstractMessageAdd: "Save one message: who sent it, when, and its exact words.",
      .abstractMessages: "List saved messages in the order they were sent.",
      .abstractAccess: "List every wrong passphrase given to this journal: when, with which command, and how.",
      .abstractUpgrade: "Rewrite a vault made by an earlier version into the newest format.",
      .abstractShow: "Show one incident in full.",
      .abstractCard:
        "Print a short card to give whoever checks your export: the journal's fingerprint and anchor code.",
      .abstractAttach: "Attach photos, screenshots, recordings or documents to an incident, as exhibits.",
      .abstractAttachments: "List the exhibits: number, name, type, size, SHA-256, when taken and when added.",
      .abstractExtract: "Decrypt one exhibit into a new file, checking its SHA-256. Never overwrites.",
      .abstractNote:
        "Write a quick note without the passphrase; it is added to your journal the next time you open it.",
      .abstractImport: "Import messages from a phone's or app's export. All of it, or nothing.",
      .abstractBackup: "Keep an encrypted copy of the journal on another disk, or check one.",
      .abstractRestore: "Make a journal again from a backup, in a new folder.",
      .abstractVerify: "Check every record and the hash chain; says OK with the head, or exactly what is wrong.",
      .abstractAnchor: "Print a short code of the journal as it is now, to send to someone you trust; or check one.",

      // `init`
      .initAbstract: "Make a new, empty vault protected by a passphrase.",
      .initWhere: """
      Where should your journal be kept?
        Press Enter for {folder}: a hidden folder in your home folder, whose name does not say what it holds.
        Or type another folder, for example on a USB stick you keep with you; then give it to every command
        with --vault FOLDER.
      """,
      .initFolder: "Folder [{folder}]:",
      .initCreated: "Created a new vault at {folder}.",
      .initGiveFolder: "Give this folder to every command: {program} list --vault {folder} (or set EVIDENCE_VAULT).",
      .initFingerprint: "Vault fingerprint: {fingerprint}",
      .initRemember: "Remember your passphrase: without it nobody, not even you, can read this journal.",
      .newPassphrasePrompt: "New passphrase: ",
      .newPassphraseAgain: "Type it again: ",
      .newPassphraseTooShort: "The passphrase is too short: use at least {count} characters.",
      .newPassphraseTooShortHint: "A few unrelated words are easy to remember and hard to guess.",
      .newPassphrasesDiffer: "The two passphrases were not the same; nothing was changed.",
      .newPassphrasesDifferHint: "Try again.",
      .newPassphraseAskAgain: "Choose it again.",

      // The guided questions of `add`
      .guidedIntro: "Answer each question and press Enter.",
      .guidedIntroResumed:
        "Your earlier answers are shown in [brackets]: press Enter to keep one, or type a new answer.",
      .guidedControls: "An empty answer skips a question, ? explains it, < goes back one.",
      .guidedCannotGoBack: "This is the first question.",
      .guidedAskWhen: "When did it happen? (e.g. yesterday 22:00, last monday, 28 Nov 22:30)",
      .guidedExplainWhen: """
      The date and time it happened, as well as you remember. You can write a date (28 Nov, 2026-11-28), a \
      time (22:30), a day (yesterday, last monday, this morning, 3 days ago) or a month (November 2026). If you \
      are not sure, write what you know: the next question asks whether it is a guess.
      """,
      .guidedWhenNeeded:
        "When it happened is needed. If you do not remember the day, write the month (November 2026) and answer y next.",
      .guidedWhenNotUnderstood: "\"{text}\" is not a time I can read. Try for example: yesterday 22:00, 28 Nov 22:30.",
      .guidedWhenInFuture: "\"{text}\" is in the future. Write when it happened.",
      .guidedWhenFarBack: "Is {year} right?",
      .guidedAskGuess: "Is that time a guess? [y/N]",
      .guidedExplainGuess: "Answer y if you are not sure of the time: the dossier then marks it as approximate.",
      .guidedAskWhere: "Where did it happen?",
      .guidedExplainWhere:
        "An address, a place or a description (at home, in his car). Leave it empty if you do not know.",
      .guidedCategoriesIntro: "What was it? {list}",
      .guidedAskCategories: "Numbers or names, separated by commas:",
      .guidedExplainCategories: """
      What kind of thing happened, to help the police see the pattern. Write one or more numbers from the list \
      (1, 3) or words (threat, violence, debt). Leave it empty if none fits.
      """,
      .guidedNotACategory: "\"{text}\" is not one of the kinds. Write a number from the list, or one of: {names}.",
      .guidedPeopleInJournal: "People in your journal: {names}",
      .guidedAskPerpetrators: "Who did it? (names, separated by commas)",
      .guidedExplainPerpetrators: """
      The people who did this, by name or a name you use for them. Someone not in your journal yet can be \
      added now. Leave it empty if you do not know who it was.
      """,
      .guidedAskWitnesses: "Who saw it or heard it?",
      .guidedExplainWitnesses:
        "People who saw or heard what happened, and could tell the police. Leave it empty if nobody did.",
      .guidedPersonNotInJournal: "{name} is not in your journal yet. Add {name} now?",
      .guidedAskRelation: "Who is {name} to you? (e.g. ex-partner, employer, neighbour)",
      .guidedAskPhone: "{name}'s phone number, if you know it:",
      .guidedNotAPhone: "\"{text}\" is not a phone number ({reason}). Leave it empty if you do not know it.",
      .guidedPersonAdded: "{name} is now in your journal.",
      .guidedPersonLeftOut: "Then write the names again without {name}, or add {name} later with `person add`.",
      .guidedAskTitle: "A few words that say what happened (a title):",
      .guidedExplainTitle: "A short line the list and the dossier show, e.g. \"Threats in the stairwell\".",
      .guidedTitleNeeded: "A title is needed; a few words are enough.",
      .guidedNarrativeIntro: "What happened? Write it in your own words, as much as you remember.",
      .guidedNarrativeBefore: "What you wrote before:",
      .guidedNarrativeGoOn: "Go on writing where you stopped.",
      .guidedNarrativeEnd: "  (end with a line containing only a dot, or Ctrl-D)",
      .guidedAskInjuries: "Injuries, if any:",
      .guidedExplainInjuries:
        "Any injury or pain, and where on the body, e.g. \"bruise on the left arm\". Photos can be attached next.",
      .guidedAskAmounts: "Money demanded or taken, if any (e.g. demanded:2500):",
      .guidedExplainAmounts: """
      Money this was about: demanded:2500, paid:300 EUR, withheld:8000 (wages not paid), taken:1500. Several \
      separated by commas; the currency is SEK unless you write another.
      """,
      .guidedNotAnAmount: "\"{text}\" is not an amount. Write it like demanded:2500, paid:300 EUR or taken:1500.",
      .guidedAskFiles: "Photos or files to attach (paths, separated by commas):",
      .guidedExplainFiles: """
      Photos of injuries or damage, screenshots, recordings, documents: the path of each file, e.g. \
      ~/Pictures/arm.jpg. The files are encrypted into the journal; the originals stay where they are.
      """,
      .guidedNoSuchFile: "There is no file at {path}.",
      .guidedSaveEntry: "Save this entry?",
      .draftLabelWhen: "When",
      .draftLabelWhere: "Where",
      .draftLabelWhat: "What",
      .draftLabelWhoDidIt: "Who did it",
      .draftLabelWhoSaw: "Who saw it",
      .draftLabelInjuries: "Injuries",
      .draftLabelMoney: "Money",

      // The guided questions of `message add`
      .guidedAskChannel: "How did it come? ({list})",
      .guidedExplainChannel:
        "The way the message reached you: sms for a text message, call for a phone call, voicemail for a message on your answering machine.",
      .guidedNotAChannel: "\"{text}\" is not one of the ways. Write one of: {list}.",
      .guidedAskSender: "Who sent it? (a name in your journal, a phone number, an e-mail address)",
      .guidedExplainSender:
        "The sender as your phone shows it: a name, a number like 070-123 45 67, an address or a handle.",
      .guidedAskReceived: "When did it come? (e.g. yesterday 22:31, 28 Nov 22:31)",
      .guidedExplainReceived: "The time your phone shows for the message. The same forms as for an incident work here.",
      .guidedMessageTextIntro: "Type or paste its exact words, as they are, spelling mistakes and all.",
      .guidedMessageNeedsText: "The message's words are needed; paste them, or save a screenshot with --screenshot.",
      .guidedAskMessageEntry: "Which incident does it belong to? (its number, e.g. 3; empty for none)",
      .guidedExplainMessageEntry:
        "If the message is about something you wrote down, its number ties them together in the dossier. `list` shows the numbers.",
      .guidedNotAnEntry: "\"{text}\" is not an incident number.",
      .messageSaved: "Saved message M{number}.",

      // `add`
      .addAbstract: "Write down an incident.",
      .addDiscussion: """
      On a terminal with no options, asks step by step: when, where, who, what happened.
      In scripts, give at least --when, --title and --narrative-file (- reads standard input).
      """,
      .addKeptForLater: "What you typed is kept: the next `{program} add` offers to continue it.",
      .addNotSaved: "Not saved. {kept}",
      .addNothingToSave:
        "Nothing to save: give the incident with options, or run `evidence add` on a terminal to be asked step by step.",
      .addNothingToSaveHint:
        "For example: {program} add --when \"yesterday 22:00\" --title \"Threats\" --narrative-file -",
      .addSaved: "Saved entry #{number}.",
      .addSavedExhibit: "Saved {file} as exhibit {label}.",

      // Drafts
      .draftContinue: "You have an unfinished {what} from {when}. Continue it?",
      .draftEntry: "entry",
      .draftMessage: "message",
      .draftKeepAsNote: "Keep what you typed then as a quick note instead?",
      .draftKeptAsNote: "Kept as a quick note: entry #{number}.",
      .draftDiscard: "Discard it? What you typed then will be gone.",
      .draftDiscarded: "Discarded.",
      .draftKeptForLater: "Kept for later: the next `{program} {command}` offers it again.",
      .draftCannotKeep: "What you type cannot be kept as a draft ({reason}); it is saved only at the end.",
      .draftCannotKeepNow: "What you type cannot be kept as a draft now: {reason}",

      // Notices at unlock
      .noticeWrongPassphrases: .plural(
        one: "Someone typed a wrong passphrase once since you last opened your journal: {times}.",
        other: "Someone typed a wrong passphrase {count} times since you last opened your journal: {times}."),
      .noticeNoBackup:
        "There is no backup of this journal yet. `{program} backup --to <folder>` keeps an encrypted copy on a USB stick or in a synced folder.",
      .noticeBackupBeforeRekey: "The last backup was made before the keys were changed; {missing}",
      .noticeLastBackup: "Last backup: {ago}, to {target}; {missing}",
      .noticeRecordsNotInBackup: .plural(one: "1 record is not in it.", other: "{count} records are not in it."),
      .noticeEveryRecordInBackup: "every record is in it.",
      .agoToday: "today",
      .agoYesterday: "yesterday",
      .agoDays: .plural(one: "1 day ago", other: "{count} days ago"),
      .monthAbbreviations: "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",

      // The entry as shown on the terminal
      .entryNew: "New entry",
      .entryHappened: "Happened",
      .entryApproximate: "(approximate)",
      .entryWrittenDown: "Written down",
      .entryNoted: "Noted",
      .entryQuickNote: "quick note: not protected by your passphrase when it was written",
      .entryPlace: "Place",
      .entryCategory: "Category",
      .entryPeople: "People",
      .entryInjuries: "Injuries",
      .entryMoney: "Money",
      .entryPoliceReference: "Police ref.",
      .entryTags: "Tags",
      .entryUnknownPerson: "(unknown person)",
      .roleDidIt: "did it",
      .roleWitness: "witness",
      .roleInvolved: "involved",
      .amountDemanded: "demanded",
      .amountPaid: "paid",
      .amountWithheld: "withheld",
      .amountTaken: "taken",
      .categoryThreat: "threat",
      .categoryPhysicalViolence: "physical violence",
      .categorySexualViolence: "sexual violence",
      .categoryForcedLabour: "forced labour",
      .categoryCoercionIntoCrimeOrBegging: "coercion into crime or begging",
      .categoryDebtOrMoneyTaken: "debt or money taken",
      .categoryDocumentsTaken: "documents taken",
      .categoryRestrictionOfMovement: "restriction of movement",
      .categoryStalkingOrSurveillance: "stalking or surveillance",
      .categoryOnlineAbuse: "online abuse",
      .categoryDamageToProperty: "damage to property",
      .categoryOther: "other",

      // The menu
      .menuHeading: "What do you want to do?",
      .menuNoJournal: "You have no journal yet. Make one now?",
      .menuWrite: "Write down what happened",
      .menuMessage: "Save a message",
      .menuFile: "Add a photo or a file",
      .menuImport: "Get messages from the phone",
      .menuExport: "Make a police report (export)",
      .menuShow: "Show the journal",
      .menuHelp: "Help",
      .menuQuit: "Quit",
      .menuAsk: "Choose 1–{count}:",
      .menuNotAChoice: "\"{text}\" is not one of the choices: write a number from 1 to {count}.",
      .menuAskEntryNumber: "Which incident is it about? (its number, e.g. 3; empty for none)",
      .menuAskFilePath: "The file (its path, e.g. ~/Pictures/photo.jpg):",
      .menuAskImportPath: "The export from the phone or app (its path):",
      .menuAskExportFolder: "A new folder to write the report in (e.g. ~/report):",
      .menuNotANumber: "\"{text}\" is not an incident number.",
      .menuHelpText: """
      Everything you write is encrypted with your passphrase. Write down what happened as soon as you can, \
      attach photos of injuries and keep the threats you receive. When you report it to the police, choose \
      "Make a police report": it writes a dossier the police can read and check.
      Each choice can also be given as a command: `{program} help` lists them.
      If you are in danger now, call 112.
      """,
      .menuBye: "Your journal is locked.",
    ])
}
