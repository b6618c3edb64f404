import EvidenceCatalogue
import EvidenceReport
import EvidenceVault
import Foundation

/// Messages for the person on stderr, as `evidence: error: …` and `evidence: hint: …`; data goes to stdout.
///
/// A message can name a file or repeat what was typed, so it is written as one line with every control
/// character escaped (`TerminalSafeText`): a path holding an ESC sequence or a line break can neither drive the
/// terminal nor fake another `evidence: error:` line.
enum Diagnostics {
  static func error(_ message: String) { write("evidence: \(String(.diagnosticError)): \(message)") }
  static func hint(_ message: String) { write("evidence: \(String(.diagnosticHint)): \(message)") }
  static func warning(_ message: String) { write("evidence: \(String(.diagnosticWarning)): \(message)") }
  static func note(_ message: String) { write("evidence: \(message)") }

  /// Reports a vault error and its hint, in the interface's language where the catalogue has the words for it
  /// (the errors that say nothing particular to one case); the others are still in English.
  static func report(_ failure: VaultError) {
    let words: (Phrase, Phrase)? =
      switch failure.code {
      case .wrongPassphrase: (.errorWrongPassphrase, .errorWrongPassphraseHint)
      case .busy: (.errorBusy, .errorBusyHint)
      default: nil
      }
    // Only the library's own wording is replaced: a command that put its own message or hint on it keeps that.
    func said(_ text: String, _ phrase: Phrase?) -> String {
      guard let phrase, text == Catalogue.english.text(phrase) else { return text }
      return String(phrase)
    }
    error(said(failure.message, words?.0))
    if let hint = failure.hint { self.hint(said(hint, words?.1)) }
  }

  /// Says first, before any other notice, that wrong passphrases were given since the journal was last opened.
  static func reportAccessAttempts(_ attempts: [AccessAttempt]) {
    if let notice = AccessText.notice(attempts, timeZone: PersonalTimeZone.resolve()) { note(notice) }
  }

  /// Reports what opening found that is not an error: damage (read-only) and notices.
  static func report(_ integrity: IntegrityReport) {
    for notice in integrity.notices { note(notice) }
    for problem in integrity.problems { warning(problem.message) }
    if !integrity.isIntact {
      hint("The vault is read-only until this is resolved. Run `evidence verify` for the details.")
    }
  }

  private static func write(_ line: String) {
    FileHandle.standardError.write(Data((TerminalSafeText.line(ProgramName.rewrite(line)) + "\n").utf8))
  }
}

/// Exit codes: 0 done, 1 the vault does not verify, 2 bad input or usage, 3 wrong passphrase,
/// 4 busy, 5 file system (disk full, permissions), 6 not a vault or unsupported.
enum ExitCode32 {
  static func code(for failure: VaultError) -> Int32 {
    switch failure.code {
    case .vaultDamaged, .headerDamaged, .unsafeHeaderParameters, .backupDamaged: 1
    case .invalidInput, .unknownEntry, .unknownPerson, .alreadyExists: 2
    case .wrongPassphrase: 3
    case .busy: 4
    case .diskFull, .fileSystem, .outOfMemory: 5
    case .notAVault, .unsupportedVersion: 6
    }
  }
}
