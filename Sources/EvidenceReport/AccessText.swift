import EvidenceCatalogue
import EvidenceVault
import Foundation

/// Wrong passphrases given to the vault (`access` records), as text for a terminal and as `--json`.
///
/// The command name came from an inbox item, which anyone holding the vault folder can write: it goes through
/// `TerminalSafeText` like everything else a file brought.
public enum AccessText {
  /// What the next successful unlock says first: "Someone typed a wrong passphrase 3 times since you last opened
  /// your journal: 2 Dec 01:12, 01:13, 01:13." The day is given for the first time and whenever it changes.
  public static func notice(_ attempts: [AccessAttempt], timeZone: TimeZone) -> String? {
    guard !attempts.isEmpty else { return nil }
    let times = attempts.map(\.failedDate)
    return String(
      .noticeWrongPassphrases, count: times.count, ["times": ShortTime.list(times, timeZone: timeZone)])
  }

  /// `2026-12-02 01:12  list         typed at the terminal`, for `evidence access`.
  public static func listLine(_ attempt: AccessAttempt, timeZone: TimeZone) -> String {
    let when = WhenFormatter.string(
      start: attempt.failedDate, precision: .minute, approximate: false, timeZone: timeZone)
    let command = TerminalSafeText.line(attempt.command).padding(toLength: 12, withPad: " ", startingAt: 0)
    return "\(when)  \(command)  \(entryLabel(attempt.entry))"
  }

  /// How the passphrase came, in words.
  public static func entryLabel(_ entry: AccessAttempt.Entry) -> String {
    switch entry {
    case .terminal: "typed at the terminal"
    case .descriptor: "given on a file descriptor (--passphrase-fd)"
    }
  }

  /// What `evidence access` says under its list: what such a record does and does not show.
  public static let caveat =
    "These were recorded by evidence itself when a wrong passphrase was given. Anyone who holds the vault folder can add such a record, or delete one before the next unlock; someone who copies the folder and guesses elsewhere leaves none."

  /// `evidence access --json` (Schemas/access-list.schema.json): the records, oldest first.
  public static func json(_ attempts: [AccessAttempt]) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(attempts) else { preconditionFailure("JSON encoding failed") }
    return String(decoding: data, as: UTF8.self)
  }
}
