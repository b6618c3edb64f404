/// Every text of the interface, by what it is for. The words are in `Languages/`, one file per language.
///
/// Named by where they are seen: `guided…` are the step-by-step questions, `menu…` the menu of `evidence` with no
/// arguments, `passphrase…` the passphrase prompts. A phrase's doc comment says what its placeholders are.
public enum Phrase: CaseIterable, Sendable, Hashable {
  // MARK: - Around every command

  /// The prefix of an error line: "error".
  case diagnosticError
  /// The prefix of a hint line: "hint".
  case diagnosticHint
  /// The prefix of a warning line: "warning".
  case diagnosticWarning
  /// What the program is, the first line of its help.
  case rootAbstract
  /// The help's words under that line.
  case rootDiscussion
  /// After a mistake in the command line. {program}
  case commandLineMistakeHint
  /// A mistake in the command line, before ArgumentParser's own (English) words. {detail}
  case commandLineMistake
  /// `--ui-lang` given a language there is no catalogue for. {given}, {codes}
  case unknownInterfaceLanguage
  /// `--ui-lang` given without a language.
  case interfaceLanguageMissing
  /// The choice of language could not be kept in the vault folder. {reason}
  case interfaceLanguageNotKept
  /// Core dumps could not be turned off.
  case coreDumpsNotOff
  /// Help's headings, as ArgumentParser prints them in English.
  case helpOverview, helpUsage, helpArguments, helpOptions, helpSubcommands
  /// ArgumentParser's own lines for -h and --version.
  case helpShowHelp, helpShowVersion

  // MARK: - Errors of the journal that say nothing particular to one case

  case errorWrongPassphrase, errorWrongPassphraseHint, errorBusy, errorBusyHint

  // MARK: - Answers

  /// Added to a yes/no question whose default is yes / no.
  case yesNoDefaultYes, yesNoDefaultNo
  /// The answers that mean yes / no, separated by spaces (both languages' are accepted everywhere).
  case yesWords, noWords
  /// A yes/no question given something else.
  case answerYesOrNo

  // MARK: - Passphrase

  /// The prompt for the journal's passphrase.
  case passphrasePrompt
  /// A wrong passphrase at the terminal, with tries left. {count}: tries left.
  case passphraseTryAgain

  // MARK: - The commands' one-line help

  case abstractPasswd, abstractList, abstractDecrypt, abstractWipe, abstractPerson, abstractPersonAdd,
    abstractPersonAmend, abstractPersonList, abstractMessage, abstractMessageAdd, abstractMessages, abstractAccess,
    abstractUpgrade, abstractShow, abstractCard, abstractAttach, abstractAttachments, abstractExtract, abstractNote,
    abstractImport, abstractBackup, abstractRestore, abstractVerify, abstractAnchor

  // MARK: - `init`

  case initAbstract
  /// {folder}: the default, home-relative.
  case initWhere, initFolder
  /// {folder}
  case initCreated
  /// {program}, {folder}
  case initGiveFolder
  /// {fingerprint}
  case initFingerprint
  case initRemember
  case newPassphrasePrompt, newPassphraseAgain
  /// {count}: the shortest length.
  case newPassphraseTooShort
  case newPassphraseTooShortHint, newPassphrasesDiffer, newPassphrasesDifferHint, newPassphraseAskAgain

  // MARK: - The guided questions of `add`

  case guidedIntro, guidedIntroResumed, guidedControls
  /// `<` at the first question.
  case guidedCannotGoBack
  case guidedAskWhen, guidedExplainWhen, guidedWhenNeeded
  /// A time the person typed that could not be read. {text}
  case guidedWhenNotUnderstood
  /// A time the person typed that is in the future. {text}
  case guidedWhenInFuture
  /// A time far back, asked once. {year}
  case guidedWhenFarBack
  case guidedAskGuess, guidedExplainGuess
  case guidedAskWhere, guidedExplainWhere
  /// The categories offered, before the question. {list}
  case guidedCategoriesIntro
  case guidedAskCategories, guidedExplainCategories
  /// A category the person typed that is not one. {text}, {names}
  case guidedNotACategory
  /// {names}
  case guidedPeopleInJournal
  case guidedAskPerpetrators, guidedExplainPerpetrators
  case guidedAskWitnesses, guidedExplainWitnesses
  /// A name not in the journal. {name}
  case guidedPersonNotInJournal
  /// {name}
  case guidedAskRelation, guidedAskPhone
  /// A phone number that is not one: {text}, {reason}
  case guidedNotAPhone
  /// {name}
  case guidedPersonAdded
  /// The person declined to add a name. {name}
  case guidedPersonLeftOut
  case guidedAskTitle, guidedExplainTitle, guidedTitleNeeded
  case guidedNarrativeIntro, guidedNarrativeBefore, guidedNarrativeGoOn, guidedNarrativeEnd
  case guidedAskInjuries, guidedExplainInjuries
  case guidedAskAmounts, guidedExplainAmounts
  /// An amount the person typed that is not one. {text}
  case guidedNotAnAmount
  case guidedAskFiles, guidedExplainFiles
  /// A file that cannot be attached. {path}
  case guidedNoSuchFile
  case guidedSaveEntry
  /// The labels of a draft kept as a quick note.
  case draftLabelWhen, draftLabelWhere, draftLabelWhat, draftLabelWhoDidIt, draftLabelWhoSaw, draftLabelInjuries,
    draftLabelMoney

  // MARK: - The guided questions of `message add`

  /// {list}: the channels.
  case guidedAskChannel, guidedExplainChannel
  /// {text}, {list}
  case guidedNotAChannel
  case guidedAskSender, guidedExplainSender
  case guidedAskReceived, guidedExplainReceived
  case guidedMessageTextIntro, guidedMessageNeedsText
  case guidedAskMessageEntry, guidedExplainMessageEntry
  /// {text}
  case guidedNotAnEntry
  /// {number}
  case messageSaved

  // MARK: - `add`

  case addAbstract, addDiscussion
  /// {program}
  case addKeptForLater
  /// {kept}: addKeptForLater
  case addNotSaved
  case addNothingToSave
  /// {program}
  case addNothingToSaveHint
  /// {number}
  case addSaved
  /// {file}, {label}
  case addSavedExhibit

  // MARK: - Drafts

  /// {what}: draftEntry or draftMessage; {when}
  case draftContinue
  case draftEntry, draftMessage
  case draftKeepAsNote
  /// {number}
  case draftKeptAsNote
  case draftDiscard, draftDiscarded
  /// {program}, {command}
  case draftKeptForLater
  /// {reason}
  case draftCannotKeep, draftCannotKeepNow

  // MARK: - Notices at unlock

  /// Wrong passphrases since the last unlock. {count}, {times}
  case noticeWrongPassphrases
  /// {program}
  case noticeNoBackup
  /// {missing}
  case noticeBackupBeforeRekey
  /// {ago}, {target}, {missing}
  case noticeLastBackup
  /// {count}: records not in the last backup (0: every record is in it).
  case noticeRecordsNotInBackup
  case noticeEveryRecordInBackup
  case agoToday, agoYesterday
  /// {count}
  case agoDays
  /// The months' short names, separated by spaces, January first.
  case monthAbbreviations

  // MARK: - The entry as shown on the terminal

  case entryNew, entryHappened, entryApproximate, entryWrittenDown, entryNoted, entryQuickNote, entryPlace,
    entryCategory, entryPeople, entryInjuries, entryMoney, entryPoliceReference, entryTags, entryUnknownPerson
  case roleDidIt, roleWitness, roleInvolved
  case amountDemanded, amountPaid, amountWithheld, amountTaken
  case categoryThreat, categoryPhysicalViolence, categorySexualViolence, categoryForcedLabour,
    categoryCoercionIntoCrimeOrBegging, categoryDebtOrMoneyTaken, categoryDocumentsTaken,
    categoryRestrictionOfMovement, categoryStalkingOrSurveillance, categoryOnlineAbuse, categoryDamageToProperty,
    categoryOther

  // MARK: - The menu of `evidence` with no arguments

  case menuHeading, menuNoJournal
  case menuWrite, menuMessage, menuFile, menuImport, menuExport, menuShow, menuHelp, menuQuit
  /// {count}: the number of choices.
  case menuAsk
  /// {text}, {count}
  case menuNotAChoice
  case menuAskEntryNumber, menuAskFilePath, menuAskImportPath, menuAskExportFolder
  /// {text}
  case menuNotANumber
  case menuHelpText
  case menuBye
}
