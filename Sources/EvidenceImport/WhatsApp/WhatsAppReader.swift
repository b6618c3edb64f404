import Foundation

/// Reads WhatsApp "Export chat" files: the .txt, or the .zip with the .txt and the media files.
///
/// The whole chat is read into lines first, so the date order can be inferred from every timestamp before the
/// first message is yielded. Times are local wall-clock times read in `timeZone`; see
/// `WhatsAppDates.instant(of:in:after:)` for the DST hours.
public struct WhatsAppReader {
  /// The .txt or .zip export.
  public let url: URL
  /// The person's own name as it appears in the chat.
  public let me: String?
  /// The phone's time zone.
  public let timeZone: TimeZone
  /// The date order chosen by hand, or nil to infer it.
  public let dateOrder: DateOrder?
  /// What the export may make the reader hold.
  var limits = ImportLimits.standard

  /// Makes a reader for one export.
  ///
  /// - Parameters:
  ///   - url: the .txt or .zip export.
  ///   - me: the person's own name as it appears in the chat, to tell sent from received (nil: every message is
  ///     .received unless the sender equals `me`).
  ///   - timeZone: the phone's time zone (WhatsApp writes local times without an offset).
  ///   - dateOrder: nil to infer from the whole file.
  public init(url: URL, me: String?, timeZone: TimeZone, dateOrder: DateOrder? = nil) {
    self.url = url
    self.me = me
    self.timeZone = timeZone
    self.dateOrder = dateOrder
  }

  /// Reads every message in file order and hands each to `handler`; system lines are skipped.
  ///
  /// - Throws: `ImportError` for an empty file, a first line that is not a chat line, an impossible date, a zip
  ///   without a chat; whatever `handler` throws.
  public func read(progress: ImportProgress = { _, _ in }, _ handler: (ImportedMessage) throws -> Void) throws {
    let export = try WhatsAppExport(url: url, limits: limits)
    let lines = try Self.lines(of: export.chat, fileName: export.fileName, lineLimit: limits.chatLineByteCount)
    let total = Int64(export.chat.count)
    progress(0, total)

    var headers: [(line: Int, header: WhatsAppLineHeader)] = []
    var parsed: [WhatsAppLineHeader?] = []
    parsed.reserveCapacity(lines.count)
    for line in lines {
      let header = WhatsAppLineHeader.parse(line.text)
      parsed.append(header)
      if let header { headers.append((line.number, header)) }
    }
    try checkStart(lines: lines, parsed: parsed, fileName: export.fileName)

    let order: DateOrder
    var details: [String: String] = [:]
    if let dateOrder {
      order = dateOrder
    } else {
      do {
        let inference = try WhatsAppDates.infer(headers)
        order = inference.order
        if inference.assumed { details["dateOrder"] = "assumed \(inference.order.rawValue)" }
      } catch {
        throw ImportError(
          file: export.fileName, position: "line \(error.monthFirstLine)",
          message: "The dates mix day-first (line \(error.dayFirstLine)) and month-first "
            + "(line \(error.monthFirstLine)) orders; choose the date order by hand."
        )
      }
    }

    var builder = MessageBuilder(reader: self, export: export, details: details)
    var reported: Int64 = 0
    for (index, line) in lines.enumerated() {
      guard let header = parsed[index] else {
        builder.continueMessage(with: line.text)
        continue
      }
      if let message = try builder.finish() { try handler(message) }
      guard let local = WhatsAppDates.localTime(header, order: order) else {
        throw ImportError(
          file: export.fileName, position: "line \(line.number)",
          message: "Line \(line.number) has a date or time that does not exist when read as \(order.rawValue) "
            + "(\(Self.describe(header)))."
        )
      }
      builder.start(header: header, local: local, line: line.number)
      if line.endOffset - reported >= 65_536 {
        reported = line.endOffset
        progress(reported, total)
      }
    }
    if let message = try builder.finish() { try handler(message) }
    progress(total, total)
  }

  /// One line of the chat with its 1-based number and the byte offset of its end.
  struct Line {
    var number: Int
    var text: String
    var endOffset: Int64
  }

  /// Splits the chat bytes into lines (LF or CRLF), dropping a byte order mark and the newline at the very end.
  static func lines(of bytes: [UInt8], fileName: String, lineLimit: Int = ImportLimits.standard.chatLineByteCount)
    throws(ImportError) -> [Line]
  {
    var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    var lines: [Line] = []
    var number = 0
    while start < bytes.count {
      let newline = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
      var end = newline
      if end > start, bytes[end - 1] == 0x0D { end -= 1 }
      number += 1
      guard end - start <= lineLimit else {
        throw ImportError(
          file: fileName, position: "line \(number)",
          message:
            "Line \(number) is longer than \(ImportLimits.describe(lineLimit)), longer than any WhatsApp message.")
      }
      guard let text = String(validating: bytes[start..<end], as: UTF8.self) else {
        throw ImportError(file: fileName, position: "line \(number)", message: "Line \(number) is not UTF-8 text.")
      }
      lines.append(Line(number: number, text: text, endOffset: Int64(min(newline + 1, bytes.count))))
      start = newline + 1
    }
    return lines
  }

  /// Fails for an empty file and for words before the first timestamp.
  private func checkStart(lines: [Line], parsed: [WhatsAppLineHeader?], fileName: String) throws(ImportError) {
    for (index, line) in lines.enumerated() {
      if parsed[index] != nil { return }
      let visible = WhatsAppText.trimBidi(line.text[...]).trimmingCharacters(in: .whitespacesAndNewlines)
      if !visible.isEmpty {
        throw ImportError(
          file: fileName, position: "line \(line.number)",
          message: "Line \(line.number) is not a WhatsApp chat line: it does not start with a date and time."
        )
      }
    }
    throw ImportError(file: fileName, message: "The file is empty: it has no WhatsApp chat lines.")
  }

  /// The timestamp of a line as its numbers were written ("31/02/2026 22:31"), for an error message: never the
  /// words of the message.
  static func describe(_ header: WhatsAppLineHeader) -> String {
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    let (first, second, third) = header.fields
    let meridiem = header.meridiem.map { $0 == .am ? " AM" : " PM" } ?? ""
    return "\(two(first))/\(two(second))/\(two(third)) \(two(header.hour)):\(two(header.minute))\(meridiem)"
  }

  /// Whether `name` (or the phone number) is the person's own.
  func isMe(_ name: String) -> Bool {
    guard let me else { return false }
    let mine = me.trimmingCharacters(in: .whitespacesAndNewlines)
    let theirs = name.trimmingCharacters(in: .whitespacesAndNewlines)
    return !mine.isEmpty && mine.caseInsensitiveCompare(theirs) == .orderedSame
  }
}

/// Gathers the lines of one message and turns them into an `ImportedMessage`.
private struct MessageBuilder {
  let reader: WhatsAppReader
  let export: WhatsAppExport
  let details: [String: String]

  private var header: WhatsAppLineHeader?
  private var time: SourceTime?
  private var line = 0
  private var continuation: [String] = []
  private var previous: Date?

  init(reader: WhatsAppReader, export: WhatsAppExport, details: [String: String]) {
    self.reader = reader
    self.export = export
    self.details = details
  }

  /// Begins a message (or a system line) at a timestamped line.
  mutating func start(header: WhatsAppLineHeader, local: WhatsAppDates.LocalTime, line: Int) {
    let time = WhatsAppDates.instant(of: local, in: reader.timeZone, after: previous)
    previous = time.instant
    self.header = header
    self.time = time
    self.line = line
    continuation = []
  }

  /// Adds a line without a timestamp to the message it continues.
  mutating func continueMessage(with text: String) {
    if header != nil { continuation.append(text) }
  }

  /// The message gathered so far, or nil for a system line or when nothing was started.
  mutating func finish() throws(ImportError) -> ImportedMessage? {
    guard let header else { return nil }
    self.header = nil
    guard let (name, firstLine) = WhatsAppText.splitSender(header.body) else { return nil }
    if header.style == .iOS, WhatsAppText.isIOSNotice(firstLine) { return nil }

    var attachments: [ImportedAttachment] = []
    var textLines = continuation
    if let (marker, caption) = WhatsAppText.attachment(in: firstLine) {
      if let fileName = marker.fileName {
        attachments.append(ImportedAttachment(name: fileName, content: export.content(of: fileName)))
      } else {
        attachments.append(ImportedAttachment(name: "media", content: .missing(marker.omittedReason ?? "")))
      }
      if !caption.isEmpty { textLines.insert(caption, at: 0) }
    } else {
      textLines.insert(firstLine, at: 0)
    }

    let sender =
      WhatsAppText.looksLikePhoneNumber(name) ? Party(address: name) : Party(name: name)
    return ImportedMessage(
      channel: .whatsapp, direction: reader.isMe(name) ? .sent : .received, sender: sender, time: time,
      text: textLines.joined(separator: "\n"), attachments: attachments, position: "line \(line)", details: details
    )
  }
}
