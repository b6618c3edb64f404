import EvidenceVault
import Foundation

/// What `evidence verify` prints: OK with the head, or each problem and what can still be read. Problems and
/// notices can name files, so they are escaped for the terminal (`TerminalSafeText`).
public enum IntegrityText {
  /// The lines of the report, for a vault whose journal index and clock notices are given.
  public static func lines(
    integrity: IntegrityReport, index: JournalIndex, clockNotices: [String], fingerprint: String,
    timeZone: TimeZone
  ) -> [String] {
    var lines = (integrity.notices + clockNotices).map { "Note: \(TerminalSafeText.line($0))" }
    if index.unknownRecordCount > 0 {
      lines.append(
        "Note: \(counted(index.unknownRecordCount, "record is", "records are")) of a kind this version of evidence does not show; they verify and are kept."
      )
    }
    let amendments = index.entries.reduce(0) { $0 + $1.versions.count - 1 }
    // The three every journal has, then the kinds it may not have, each named only when there is one.
    let optional = [
      (index.exhibits.count, "exhibit", "exhibits"), (index.messages.count, "message", "messages"),
      (index.accessAttempts.count, "failed unlock", "failed unlocks"),
    ].filter { $0.0 > 0 }.map { counted($0.0, $0.1, $0.2) }
    let contents =
      ([
        counted(index.entries.count, "entry", "entries"), counted(amendments, "amendment", "amendments"),
        counted(index.people.count, "person", "people"),
      ] + optional).joined(separator: ", ")
    let records = counted(Int(integrity.head.sequence), "record verifies", "records verify")
    if integrity.isIntact {
      lines.append("OK: \(records) (\(contents)).")
      lines.append("Head: \(integrity.head.sequence) \(integrity.head.hashHex)")
      lines.append("Vault fingerprint: \(fingerprint)")
    } else {
      lines += integrity.problems.map { "DAMAGED: \(TerminalSafeText.line($0.message))" }
      var readable = "Still readable: \(records) (\(contents))"
      if let last = index.recordedAt.last ?? nil {
        readable += ", everything written up to \(EntryText.recorded(last, timeZone: timeZone))"
      }
      lines.append(readable + ".")
      lines.append("Verified head: \(integrity.head.sequence) \(integrity.head.hashHex)")
    }
    return lines
  }

  /// What is anchored: the last anchor's code and day, and how many records came after it.
  public static func anchorLines(last: Anchor?, unanchoredRecords: Int, timeZone: TimeZone) -> [String] {
    guard let last else {
      return [
        "Not yet anchored: no anchor code was ever made. `evidence anchor` makes one to send to someone you trust."
      ]
    }
    var lines = [
      "Anchored: the journal up to record \(last.sequence), by code \(last.code) made \(EntryText.recorded(last.stamp.recordedAt, timeZone: timeZone))."
    ]
    if unanchoredRecords > 0 {
      lines.append(
        "Not yet anchored: \(counted(unanchoredRecords, "record", "records")) written after it. `evidence anchor` makes a new code."
      )
    }
    return lines
  }

  /// The lines about exhibits: all intact, or each damaged one named; orphans and leftovers as notes.
  public static func lines(exhibits check: ExhibitCheck) -> [String] {
    var lines: [String] = []
    if !check.orphanBlobs.isEmpty {
      lines.append(
        "Note: \(counted(check.orphanBlobs.count, "attachment file is", "attachment files are")) named by no record (an attach was interrupted after the file was stored). `evidence verify --repair` keeps them as loose exhibits."
      )
    }
    if !check.leftovers.isEmpty {
      lines.append(
        "Note: \(counted(check.leftovers.count, "partial file", "partial files")) of interrupted attaches in blobs/. `evidence verify --repair` moves them to quarantine/."
      )
    }
    if check.isIntact {
      if check.exhibitCount > 0 {
        lines.append(
          (check.exhibitCount == 1 ? "The exhibit is" : "All \(check.exhibitCount) exhibits are")
            + " intact (decrypted to the end, SHA-256 as recorded).")
      }
    } else {
      lines += check.problems.map { "DAMAGED: \(TerminalSafeText.line($0))" }
    }
    return lines
  }

  /// "1 entry", "3 entries".
  public static func counted(_ count: Int, _ singular: String, _ plural: String) -> String {
    "\(count) \(count == 1 ? singular : plural)"
  }
}
