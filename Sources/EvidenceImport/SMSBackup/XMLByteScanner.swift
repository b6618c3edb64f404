import Foundation

/// One attribute of a tag, with its value still undecoded (entity references are resolved later, by the reader).
struct XMLAttribute: Equatable {
  /// The value as the file has it.
  enum Value: Equatable {
    /// The raw bytes between the quotes, entity references not yet resolved.
    case raw([UInt8])
    /// A base64 value decoded while it was read; nil when it is not valid base64, `absent` for "" or "null".
    case decoded([UInt8]?, absent: Bool)
  }

  var name: String
  var value: Value
}

/// One event of the scanner: a tag opening or closing. A self-closing tag gives a start and then an end.
enum XMLToken: Equatable {
  case start(name: String, attributes: [XMLAttribute], line: Int)
  case end(name: String, line: Int)
}

/// Why the scanner stopped.
enum XMLScanError: Error, Equatable {
  /// The bytes ran out inside a tag, a comment or an open element.
  case endOfFile
  /// The bytes are not the XML these exports contain; a sentence that names the line.
  case malformed(String)
}

/// A small streaming XML tokenizer for phone exports, reading 64 KiB at a time so memory stays constant.
///
/// It handles what "SMS Backup & Restore" writes: the XML declaration, comments, a doctype line, elements with
/// single- or double-quoted attributes, self-closing tags and whitespace between tags. Text inside elements is
/// skipped (these exports keep everything in attributes). Values named by `isBinary` are base64-decoded as they
/// stream past, so a large picture is only ever held once, as its decoded bytes.
final class XMLByteScanner {
  private let handle: FileHandle
  private let total: Int64
  private let progress: ImportProgress
  private let isBinary: (_ element: String, _ attribute: String) -> Bool
  private let chunkSize = 64 * 1024
  private let maxDepth = 32
  /// What a tag, a name and a value may hold.
  let limits: ImportLimits
  /// Raw value bytes read so far in the tag being read (all its attributes together).
  private var tagValueBytes = 0

  private var buffer: [UInt8] = []
  private var index = 0
  private var atEnd = false
  private var bytesRead: Int64 = 0
  private var stack: [String] = []
  private var pendingEnd: String?
  private var rootClosed = false
  private var started = false

  /// The line the scanner has reached (1-based).
  private(set) var line = 1
  /// True once any byte other than whitespace has been seen.
  private(set) var sawContent = false
  /// The name of the tag being read when it has not closed yet ("sms" while inside `<sms address=...`).
  private(set) var partialTag: String?
  /// The elements open now, outermost first.
  var openElements: [String] { stack }

  init(
    handle: FileHandle, total: Int64, progress: @escaping ImportProgress, limits: ImportLimits = .standard,
    isBinary: @escaping (_ element: String, _ attribute: String) -> Bool
  ) {
    self.limits = limits
    self.handle = handle
    self.total = total
    self.progress = progress
    self.isBinary = isBinary
  }

  /// Returns the next tag event, or nil at the end of a complete document.
  func next() throws -> XMLToken? {
    if let name = pendingEnd {
      pendingEnd = nil
      stack.removeLast()
      if stack.isEmpty { rootClosed = true }
      return .end(name: name, line: line)
    }
    if !started {
      started = true
      try skipByteOrderMark()
    }
    while true {
      guard let byte = try peek() else {
        if !stack.isEmpty { throw XMLScanError.endOfFile }
        return nil
      }
      if byte != xmlASCII("<") {
        try skipText()
        continue
      }
      sawContent = true
      advance()
      guard let kind = try peek() else { throw XMLScanError.endOfFile }
      switch kind {
      case xmlASCII("?"):
        try skip(past: Array("?>".utf8))
      case xmlASCII("!"):
        try skipMarkup()
      case xmlASCII("/"):
        advance()
        return try readEndTag()
      default:
        if let token = try readStartTag() { return token }
      }
    }
  }

  // MARK: Bytes

  private func fill() throws -> Bool {
    if atEnd { return false }
    let data: Data?
    do {
      data = try handle.read(upToCount: chunkSize)
    } catch {
      throw XMLScanError.malformed("The file could not be read after byte \(bytesRead): \(error.localizedDescription).")
    }
    guard let data, !data.isEmpty else {
      atEnd = true
      return false
    }
    buffer = [UInt8](data)
    index = 0
    bytesRead += Int64(data.count)
    progress(bytesRead, max(total, bytesRead))
    return true
  }

  @inline(__always) private func peek() throws -> UInt8? {
    if index < buffer.count { return buffer[index] }
    return try fill() ? buffer[index] : nil
  }

  @inline(__always) private func advance() {
    if buffer[index] == 10 { line += 1 }
    index += 1
  }

  private func nextByte() throws -> UInt8 {
    guard let byte = try peek() else { throw XMLScanError.endOfFile }
    advance()
    return byte
  }

  /// `what` is only made into text when the byte is missing (it names the tag, for every attribute).
  private func expect(_ byte: UInt8, _ what: @autoclosure () -> String) throws {
    let found = try nextByte()
    if found != byte { throw malformed("\(what()) is missing") }
  }

  private func malformed(_ reason: String) -> XMLScanError {
    .malformed("Line \(line) is not well-formed XML: \(reason).")
  }

  // MARK: Text, comments, declarations

  private func skipByteOrderMark() throws {
    guard try peek() == 0xEF else { return }
    for expected: UInt8 in [0xEF, 0xBB, 0xBF] where try nextByte() != expected {
      throw malformed("the file starts with bytes that are not text")
    }
  }

  private func skipText() throws {
    var text = false
    var scratch: [UInt8] = []
    try consume(
      while: { byte in
        if byte == xmlASCII("<") { return false }
        if !isWhitespace(byte) { text = true }
        return true
      }, into: &scratch, keep: false)
    guard text else { return }
    if stack.isEmpty {
      throw rootClosed ? malformed("there is text after the last tag") : malformed("the file does not start with a tag")
    }
    sawContent = true
  }

  /// Consumes bytes while `accept` holds, a buffer at a time, appending them to `out` when `keep` is true;
  /// returns how many it consumed.
  @discardableResult
  private func consume(while accept: (UInt8) -> Bool, into out: inout [UInt8], keep: Bool = true) throws -> Int {
    var consumed = 0
    while true {
      if index >= buffer.count, try !fill() { return consumed }
      var end = index
      var newlines = 0
      buffer.withUnsafeBufferPointer { bytes in
        while end < bytes.count, accept(bytes[end]) {
          if bytes[end] == 10 { newlines += 1 }
          end += 1
        }
      }
      if keep { out.append(contentsOf: buffer[index..<end]) }
      line += newlines
      let reachedEnd = end == buffer.count
      consumed += end - index
      index = end
      if !reachedEnd { return consumed }
    }
  }

  /// Skips up to and including the first occurrence of `terminator`.
  ///
  /// After a mismatch the longest end of what was read that still starts the terminator is kept (the
  /// Knuth–Morris–Pratt fall-back), so "--->" ends a comment at its "-->" and "??>" a declaration at its "?>".
  private func skip(past terminator: [UInt8]) throws {
    var fallback = [Int](repeating: 0, count: terminator.count)
    var length = 0
    for index in terminator.indices.dropFirst() {
      while length > 0 && terminator[index] != terminator[length] { length = fallback[length - 1] }
      if terminator[index] == terminator[length] { length += 1 }
      fallback[index] = length
    }
    var matched = 0
    while matched < terminator.count {
      let byte = try nextByte()
      while matched > 0 && byte != terminator[matched] { matched = fallback[matched - 1] }
      if byte == terminator[matched] { matched += 1 }
    }
  }

  private func skipMarkup() throws {
    advance()  // "!"
    if try peek() == xmlASCII("-") {
      advance()
      try expect(xmlASCII("-"), "the second \"-\" of a comment")
      try skip(past: Array("-->".utf8))
      return
    }
    guard stack.isEmpty, !rootClosed else { throw malformed("\"<!\" may only start a comment here") }
    while true {
      let byte = try nextByte()
      if byte == xmlASCII("[") { throw malformed("a doctype with its own declarations is not supported") }
      if byte == xmlASCII(">") { return }
    }
  }

  // MARK: Tags

  private func readName() throws -> String {
    // Most names lie whole in the buffer: made straight from it (short ones need no allocation at all).
    if index < buffer.count {
      let name: String? = buffer.withUnsafeBufferPointer { bytes in
        var end = index
        while end < bytes.count, isNameByte(bytes[end]) { end += 1 }
        guard end > index, end < bytes.count, end - index <= limits.xmlNameByteCount else { return nil }
        defer { index = end }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
      }
      if let name { return name }
    }
    var bytes: [UInt8] = []
    let limit = limits.xmlNameByteCount
    var count = 0
    try consume(
      while: { byte in
        count += 1
        return count <= limit + 1 && isNameByte(byte)
      }, into: &bytes)
    if bytes.count > limit {
      throw malformed("a tag or attribute name is longer than \(ImportLimits.describe(limit))")
    }
    if bytes.isEmpty {
      if try peek() == nil { throw XMLScanError.endOfFile }
      throw malformed("a tag or attribute has no name")
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  private func skipWhitespace() throws -> Bool {
    var scratch: [UInt8] = []
    return try consume(while: isWhitespace, into: &scratch, keep: false) > 0
  }

  private func readEndTag() throws -> XMLToken {
    let name = try readName()
    _ = try skipWhitespace()
    try expect(xmlASCII(">"), "the \">\" that ends </\(name)")
    guard let open = stack.last else { throw malformed("</\(name)> closes nothing") }
    guard open == name else { throw malformed("</\(name)> closes <\(open)>") }
    stack.removeLast()
    if stack.isEmpty { rootClosed = true }
    return .end(name: name, line: line)
  }

  private func readStartTag() throws -> XMLToken? {
    let startLine = line
    let name = try readName()
    if rootClosed { throw malformed("<\(name)> comes after the last tag closed") }
    partialTag = name
    tagValueBytes = 0
    var attributes: [XMLAttribute] = []
    // Duplicates are looked for among the attributes read so far; a set is made only for a tag with many.
    var seen: Set<String>?
    while true {
      let separated = try skipWhitespace()
      guard let byte = try peek() else { throw XMLScanError.endOfFile }
      if byte == xmlASCII("/") {
        advance()
        try expect(xmlASCII(">"), "the \">\" after \"/\" in <\(name)>")
        partialTag = nil
        try push(name)
        pendingEnd = name
        return .start(name: name, attributes: attributes, line: startLine)
      }
      if byte == xmlASCII(">") {
        advance()
        partialTag = nil
        try push(name)
        return .start(name: name, attributes: attributes, line: startLine)
      }
      guard separated else { throw malformed("an attribute of <\(name)> is not separated by a space") }
      let attributeName = try readName()
      tagValueBytes += attributeName.utf8.count + 16  // what an attribute costs beyond its value
      guard tagValueBytes <= limits.xmlValueByteCount else {
        throw malformed("<\(name)> has more attributes than a phone writes")
      }
      if seen == nil && attributes.count >= 32 { seen = Set(attributes.map(\.name)) }
      let isDuplicate =
        if seen != nil {
          seen?.insert(attributeName).inserted == false
        } else {
          attributes.contains { $0.name == attributeName }
        }
      guard !isDuplicate else {
        throw malformed("<\(name)> has the attribute \"\(attributeName)\" twice")
      }
      _ = try skipWhitespace()
      try expect(xmlASCII("="), "the \"=\" after the attribute \"\(attributeName)\" of <\(name)>")
      _ = try skipWhitespace()
      let quote = try nextByte()
      guard quote == xmlASCII("\"") || quote == xmlASCII("'") else {
        throw malformed("the value of \"\(attributeName)\" in <\(name)> is not in quotes")
      }
      let value: XMLAttribute.Value
      if isBinary(name, attributeName) {
        value = try readBase64Value(quote: quote, attribute: attributeName, element: name)
      } else {
        value = .raw(try readRawValue(quote: quote, attribute: attributeName, element: name))
      }
      attributes.append(XMLAttribute(name: attributeName, value: value))
    }
  }

  private func push(_ name: String) throws {
    if stack.count >= maxDepth { throw malformed("elements are nested more than \(maxDepth) deep") }
    stack.append(name)
  }

  /// Calls `body` with each run of value bytes up to the closing quote, then consumes the quote.
  private func scanValue(
    quote: UInt8, attribute: String, element: String, limit: Int, shownLimit: Int,
    _ body: (ArraySlice<UInt8>) -> Void
  ) throws {
    var valueBytes = 0
    while true {
      if index >= buffer.count, try !fill() { throw XMLScanError.endOfFile }
      var end = index
      var newlines = 0
      var stop: UInt8?
      buffer.withUnsafeBufferPointer { bytes in
        while end < bytes.count {
          let byte = bytes[end]
          if byte == quote || byte == 60 {
            stop = byte
            break
          }
          if byte == 10 { newlines += 1 }
          end += 1
        }
      }
      valueBytes += end - index
      guard valueBytes <= limit else {
        throw malformed(
          "the value of \"\(attribute)\" in <\(element)> is longer than \(ImportLimits.describe(shownLimit)), "
            + "more than a phone writes")
      }
      body(buffer[index..<end])
      line += newlines
      index = end
      guard let stop else { continue }
      if stop == xmlASCII("<") {
        throw malformed("the value of \"\(attribute)\" in <\(element)> contains a bare \"<\"")
      }
      index += 1
      return
    }
  }

  private func readRawValue(quote: UInt8, attribute: String, element: String) throws -> [UInt8] {
    var value: [UInt8] = []
    // Every raw value of a tag together stays under the limit, however many attributes the tag has.
    try scanValue(
      quote: quote, attribute: attribute, element: element, limit: max(0, limits.xmlValueByteCount - tagValueBytes),
      shownLimit: limits.xmlValueByteCount
    ) { value.append(contentsOf: $0) }
    tagValueBytes += value.count
    return value
  }

  private func readBase64Value(quote: UInt8, attribute: String, element: String) throws -> XMLAttribute.Value {
    var decoder = Base64StreamDecoder()
    // Base64 is 4 characters for 3 bytes, with line breaks perhaps every 76.
    let limit = limits.xmlBinaryByteCount / 3 * 4 + limits.xmlBinaryByteCount / 57 * 2 + 8
    try scanValue(
      quote: quote, attribute: attribute, element: element, limit: limit, shownLimit: limits.xmlBinaryByteCount
    ) { decoder.feed($0) }
    if decoder.isAbsent { return .decoded(nil, absent: true) }
    return .decoded(decoder.finish(), absent: false)
  }
}

@inline(__always) func xmlASCII(_ character: Unicode.Scalar) -> UInt8 {
  UInt8(truncatingIfNeeded: character.value)
}

@inline(__always) private func isWhitespace(_ byte: UInt8) -> Bool {
  byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
}

@inline(__always) private func isNameByte(_ byte: UInt8) -> Bool {
  switch byte {
  case xmlASCII("a")...xmlASCII("z"), xmlASCII("A")...xmlASCII("Z"), xmlASCII("0")...xmlASCII("9"): true
  case xmlASCII("_"), xmlASCII("-"), xmlASCII("."), xmlASCII(":"): true
  default: byte >= 0x80
  }
}
