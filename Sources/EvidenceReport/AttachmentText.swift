import EvidenceVault
import Foundation

/// Exhibits as text for a terminal and as `--json`; names and camera details from the files are escaped
/// (`TerminalSafeText`), the JSON keeps them exactly.
public enum AttachmentText {
  /// `A3  injury.jpg  image/jpeg  2.1 MB  entry #12` and the details an investigator checks, one per line.
  public static func block(_ exhibit: ExhibitHistory, index: JournalIndex, timeZone: TimeZone) -> String {
    let record = exhibit.current
    var lines = [
      "\(exhibit.label)  \(TerminalSafeText.line(record.originalName))  \(TerminalSafeText.line(record.mediaType))  \(sizeText(record.size))  "
        + (entryNumber(of: exhibit, index: index).map { "entry #\($0)" } ?? "loose")
    ]
    lines.append("    SHA-256   \(record.sha256)")
    if let capture = record.capture, let taken = captureText(capture) {
      lines.append("    Taken     \(TerminalSafeText.line(taken))")
    }
    lines.append("    Added     \(EntryText.recorded(exhibit.versions[0].stamp.recordedAt, timeZone: timeZone))")
    if let intake = exhibit.versions[0].intake {
      lines.append(
        "    Noted     \(EntryText.recorded(intake.notedAt, timeZone: timeZone)) (\(EntryText.quickNoteMark))")
    }
    return lines.joined(separator: "\n")
  }

  /// "2026-11-28 22:30:15 +01:00, 59.3293000, 18.0686000, Apple iPhone 12".
  public static func captureText(_ capture: CaptureMetadata) -> String? {
    var parts: [String] = []
    if let taken = capture.takenAt {
      parts.append(taken.replacingOccurrences(of: "T", with: " ") + (capture.takenAtOffset.map { " \($0)" } ?? ""))
    }
    if let latitude = capture.latitude, let longitude = capture.longitude {
      parts.append(String(format: "%.6f, %.6f", latitude, longitude))
    }
    let device = [capture.make, capture.model].compactMap { $0 }.joined(separator: " ")
    if !device.isEmpty { parts.append(device) }
    return parts.isEmpty ? nil : parts.joined(separator: ", ")
  }

  /// The number of the entry an exhibit belongs to.
  public static func entryNumber(of exhibit: ExhibitHistory, index: JournalIndex) -> Int? {
    exhibit.current.entry.flatMap(index.entryNumber(id:))
  }

  static func sizeText(_ size: Int64) -> String {
    ByteCountFormatter.string(fromByteCount: size, countStyle: .file)
  }

  private struct Item: Encodable {
    let label: String
    let entryNumber: Int?
    let attachment: Attachment
  }

  /// `evidence attachments --json` (Schemas/attachment-list.schema.json).
  public static func json(_ exhibits: [ExhibitHistory], index: JournalIndex) -> String {
    let items = exhibits.map {
      Item(label: $0.label, entryNumber: entryNumber(of: $0, index: index), attachment: $0.current)
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(items) else { preconditionFailure("JSON encoding failed") }
    return String(decoding: data, as: UTF8.self)
  }
}
