import Foundation

/// Reads e-mail: one message (.eml) or a mailbox (mbox, mboxo or mboxrd).
///
/// A file whose first line starts with "From " is a mailbox; any other file is one message. A mailbox is split
/// on lines starting with "From " at the start of the file or after a blank line; that separator line is kept
/// in `details["mbox-envelope"]` and the blank line before it is the mailbox's, not the message's. Inside a
/// message, lines matching `^>+From ` lose one ">" (mboxrd). In mboxo only `>From ` was ever escaped, so a
/// sender's own `>From ` line cannot be told from an escaped one; it is unescaped the same way, which is the
/// reading mail programs take too.
///
/// Each message yields its raw bytes first among the attachments ("message-<n>.eml"), so the exact message is
/// kept as an exhibit; the text, parties, time and the other attachments are read from those bytes.
public struct EmailReader {
  private let url: URL
  private var parser: EmailMessageParser
  /// What the export may make the reader hold.
  var limits = ImportLimits.standard {
    didSet { parser.headerLimit = limits.emailHeaderByteCount }
  }

  /// Prepares to read the file at `url`.
  ///
  /// - me: the person's own addresses, to tell sent from received (empty: every message is .received).
  /// - timeZone: for a Date header without a zone (rare, broken mailers), read in this zone.
  public init(url: URL, me: [String] = [], timeZone: TimeZone) {
    self.url = url
    parser = EmailMessageParser(
      fileName: url.lastPathComponent,
      me: Set(me.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }),
      timeZone: timeZone)
  }

  /// Reads every message in file order, handing each to `handler`; `progress` gets bytes read and the file size.
  public func read(progress: ImportProgress = { _, _ in }, _ handler: (ImportedMessage) throws -> Void) throws {
    let handle: FileHandle
    do {
      handle = try FileHandle(forReadingFrom: url)
    } catch {
      throw ImportError(file: parser.fileName, message: "the file cannot be opened")
    }
    defer { try? handle.close() }
    let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
    let size = (attributes?[.size] as? NSNumber)?.int64Value ?? 0
    let lines = ChunkedLineReader(handle: handle, lineLimit: limits.emailLineByteCount)
    guard let first = try readLine(lines) else {
      throw ImportError(file: parser.fileName, message: "the file is empty")
    }
    if first.starts(with: Self.separator) {
      try readMailbox(first: first, lines: lines, size: size, progress: progress, handler)
    } else {
      var raw = first
      let place = EmailMessageParser.Place(number: 1, position: "message", name: "the message", firstLine: 1)
      while let line = try readLine(lines) {
        raw += line
        try checkSize(raw, place: place)
      }
      try handler(parser.message(raw: raw, at: place))
      progress(lines.offset, max(size, lines.offset))
    }
  }

  /// "From " — the start of an mbox separator line.
  private static let separator = Array("From ".utf8)

  /// Splits the mailbox into messages and hands them on one at a time.
  private func readMailbox(
    first: [UInt8], lines: ChunkedLineReader, size: Int64, progress: ImportProgress,
    _ handler: (ImportedMessage) throws -> Void
  ) throws {
    var number = 1
    var messageOffset: Int64 = 0
    var envelope = first
    var raw: [UInt8] = []
    var lineNumber = 1
    var messageFirstLine = 2
    var previousBlank = false

    func finish() throws {
      // The blank line that ends a message in a mailbox belongs to the mailbox.
      if previousBlank {
        if raw.last == 0x0A { raw.removeLast() }
        if raw.last == 0x0D { raw.removeLast() }
      }
      let place = EmailMessageParser.Place(
        number: number, position: "message \(number) at byte \(messageOffset)", name: "message \(number)",
        firstLine: messageFirstLine)
      guard !raw.isEmpty else {
        throw ImportError(file: parser.fileName, position: place.position, message: "message \(number) is empty")
      }
      var message = try parser.message(raw: raw, at: place)
      message.details["mbox-envelope"] = String(decoding: Self.content(of: envelope), as: UTF8.self)
      try handler(message)
      progress(lines.offset, max(size, lines.offset))
    }

    while true {
      let lineOffset = lines.offset
      guard let line = try readLine(lines) else { break }
      lineNumber += 1
      if previousBlank, line.starts(with: Self.separator) {
        try finish()
        number += 1
        messageOffset = lineOffset
        envelope = line
        raw = []
        messageFirstLine = lineNumber + 1
        previousBlank = false
        continue
      }
      previousBlank = Self.content(of: line).isEmpty
      raw += Self.unescaped(line)
      try checkSize(
        raw,
        place: EmailMessageParser.Place(
          number: number, position: "message \(number) at byte \(messageOffset)", name: "message \(number)",
          firstLine: messageFirstLine))
    }
    try finish()
  }

  /// Ends the import when one message grows past `limits.emailMessageByteCount`.
  private func checkSize(_ raw: [UInt8], place: EmailMessageParser.Place) throws {
    guard raw.count > limits.emailMessageByteCount else { return }
    throw ImportError(
      file: parser.fileName, position: place.position,
      message: "\(place.name) is larger than \(ImportLimits.describe(limits.emailMessageByteCount)), "
        + "more than a mail server delivers")
  }

  /// The next line of the file, with an I/O failure turned into an import error.
  private func readLine(_ lines: ChunkedLineReader) throws -> [UInt8]? {
    do {
      return try lines.nextLine()
    } catch let error as ChunkedLineReader.LineTooLong {
      throw ImportError(
        file: parser.fileName, position: "byte \(error.offset)",
        message: "the line at byte \(error.offset) is longer than \(ImportLimits.describe(lines.lineLimit))")
    } catch {
      throw ImportError(file: parser.fileName, position: "byte \(lines.offset)", message: "the file cannot be read")
    }
  }

  /// A line without its line ending.
  private static func content(of line: [UInt8]) -> ArraySlice<UInt8> {
    var end = line.endIndex
    if end > 0, line[end - 1] == 0x0A { end -= 1 }
    if end > 0, line[end - 1] == 0x0D { end -= 1 }
    return line[..<end]
  }

  /// The line with one ">" removed when it matches `^>+From ` (mboxrd quoting), otherwise unchanged.
  static func unescaped(_ line: [UInt8]) -> [UInt8] {
    guard line.first == UInt8(ascii: ">") else { return line }
    let rest = line.drop { $0 == UInt8(ascii: ">") }
    return rest.starts(with: separator) ? Array(line.dropFirst()) : line
  }
}
