import EvidenceCatalogue
import EvidenceVault
import Foundation

/// The sentences about backups: the notice at each unlock, and what `backup`, `backup --check` and `restore` print.
enum BackupText {
  /// "Last backup: 12 days ago, to /media/usb; 5 records are not in it.", or the weekly reminder.
  static func notice(_ notice: BackupNotice, now: Date, timeZone: TimeZone) -> String {
    switch notice {
    case .noneReminder:
      return String(.noticeNoBackup, ["program": ProgramName.current])
    case .last(let status):
      let missing = recordsNotIn(status.recordsNotInBackup)
      guard let madeAt = status.madeAt, let target = status.target else {
        return String(.noticeBackupBeforeRekey, ["missing": missing])
      }
      return String(
        .noticeLastBackup, ["ago": ago(madeAt, now: now, timeZone: timeZone), "target": target, "missing": missing])
    }
  }

  /// "5 records are not in it." / "every record is in it."
  static func recordsNotIn(_ count: UInt64) -> String {
    count == 0 ? String(.noticeEveryRecordInBackup) : String(.noticeRecordsNotInBackup, count: Int(count))
  }

  /// "today", "yesterday", "12 days ago", by calendar days in the person's time zone.
  static func ago(_ date: Date, now: Date, timeZone: TimeZone) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    let days =
      calendar.dateComponents([.day], from: calendar.startOfDay(for: date), to: calendar.startOfDay(for: now)).day ?? 0
    switch days {
    case ...0: return String(.agoToday)
    case 1: return String(.agoYesterday)
    default: return String(.agoDays, count: days)
    }
  }

  /// "5 records, 2 attachment files and 1 inbox item (12.3 MB)".
  static func holdings(records: UInt64, blobs: Int, inbox: Int, byteCount: Int64) -> String {
    var parts = [records == 1 ? "1 record" : "\(records) records"]
    parts.append(blobs == 1 ? "1 attachment file" : "\(blobs) attachment files")
    if inbox > 0 { parts.append(inbox == 1 ? "1 inbox item" : "\(inbox) inbox items") }
    let list = parts.count == 3 ? "\(parts[0]), \(parts[1]) and \(parts[2])" : parts.joined(separator: " and ")
    return "\(list) (\(bytes(byteCount)))"
  }

  /// Byte counts as people read them: `12.3 MB`.
  static func bytes(_ count: Int64) -> String { ByteText.text(count) }

  /// `backup --json` and `backup --check --json` (Schemas/backup-report.schema.json).
  static func json(_ check: BackupCheck, outcome: BackupOutcome?) -> String {
    struct Written: Encodable {
      let startedNewSet: Bool
      let newRecordCount: UInt64
      let newJournalByteCount: Int
      let newBlobCount: Int
      let byteCount: Int64
    }
    struct Report: Encodable {
      let folder: String
      let set: Int
      let intact: Bool
      let recordCount: UInt64
      let journalByteCount: Int
      let blobCount: Int
      let inboxCount: Int
      let totalByteCount: Int64
      let recordsNotInBackup: UInt64?
      let problems: [String]
      let notices: [String]
      let written: Written?
    }
    let report = Report(
      folder: check.folder.path, set: check.set, intact: check.isIntact, recordCount: check.recordCount,
      journalByteCount: check.journalByteCount, blobCount: check.blobCount, inboxCount: check.inboxCount,
      totalByteCount: check.totalByteCount, recordsNotInBackup: check.recordsNotInBackup, problems: check.problems,
      notices: check.notices,
      written: outcome.map {
        Written(
          startedNewSet: $0.startedNewSet, newRecordCount: $0.newRecordCount,
          newJournalByteCount: $0.newJournalByteCount, newBlobCount: $0.newBlobCount, byteCount: $0.writtenByteCount)
      })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(report) else { preconditionFailure("backup report encoding failed") }
    return String(decoding: data, as: UTF8.self)
  }
}
