/// One recipient stanza: `-> arguments…` and a body (the wrapped file key).
struct AgeStanza: Equatable {
  /// The arguments of the `->` line; the first names the recipient type (`X25519`, `scrypt`, …).
  var arguments: [String]
  var body: [UInt8]

  var type: String { arguments.first ?? "" }
}

/// The textual header of an age v1 file (age.md, "Header"), parsed strictly or encoded.
struct AgeHeader {
  static let versionLine = Array("age-encryption.org/v1".utf8)
  /// Caps applied while reading, before any other work: hostile headers cannot make us read or allocate much.
  static let maximumByteCount = 256 * 1024
  static let maximumStanzaCount = 512
  static let macByteCount = 32

  var stanzas: [AgeStanza]
  /// The MAC from the `---` line.
  var mac: [UInt8]
  /// The header's bytes up to and including `---` (what the MAC covers).
  var authenticatedBytes: [UInt8]

  /// Whether this file is protected by a passphrase (an scrypt stanza; then it is the only one).
  var isPassphraseProtected: Bool { stanzas.contains { $0.type == "scrypt" } }

  /// Reads and checks a header from `reader`, leaving it at the first byte of the payload.
  ///
  /// - Throws: `headerInvalid` for anything the ABNF of the spec does not allow; `limitExceeded` past the caps.
  static func read(from reader: AgeByteReader) throws(AgeError) -> AgeHeader {
    var consumed: [UInt8] = []
    func nextLine() throws(AgeError) -> [UInt8] {
      let remaining = maximumByteCount - consumed.count
      let tooLong = AgeError(
        .limitExceeded, "The age file's header is larger than the \(maximumByteCount) bytes this program reads.",
        hint: "This is not a file an ordinary age program writes; ask the sender for a fresh copy.")
      guard
        let line = try reader.readLine(
          limit: remaining, tooLong: tooLong, unterminated: .header("it ends in the middle of a line"))
      else { throw AgeError.header("it ends before the header is complete") }
      consumed += line
      consumed.append(0x0A)
      return line
    }

    let first = try nextLine()
    if first != versionLine {
      if first.starts(with: Array("age-encryption.org/".utf8)) {
        throw AgeError(
          .headerInvalid, "The file is an age file of a version this program does not know.",
          hint: "Ask the sender to encrypt with age format v1 (what every current age program writes).")
      }
      throw AgeError.header("it does not start with the age-encryption.org/v1 line (is this an age file?)")
    }
    var stanzas: [AgeStanza] = []
    var line = try nextLine()
    while line.starts(with: Array("-> ".utf8)) {
      guard stanzas.count < maximumStanzaCount else {
        throw AgeError(
          .limitExceeded, "The age file's header has more than \(maximumStanzaCount) recipient stanzas.",
          hint: "This is not a file an ordinary age program writes; ask the sender for a fresh copy.")
      }
      let argumentLine = line.dropFirst(3)
      let arguments = argumentLine.split(separator: 0x20, omittingEmptySubsequences: false)
      guard !argumentLine.isEmpty, arguments.allSatisfy({ !$0.isEmpty && $0.allSatisfy { (33...126).contains($0) } })
      else { throw AgeError.header("a stanza has an empty argument or a character that is not allowed") }
      var bodyText: [UInt8] = []
      while true {
        let bodyLine = try nextLine()
        guard bodyLine.count <= 64, bodyLine.allSatisfy(Base64.isAlphabet) else {
          throw AgeError.header("a stanza body line is longer than 64 columns or is not base64")
        }
        bodyText += bodyLine
        if bodyLine.count < 64 { break }
      }
      guard let body = Base64.decodeUnpadded(bodyText) else {
        throw AgeError.header("a stanza body is not canonical base64")
      }
      stanzas.append(AgeStanza(arguments: arguments.map { String(decoding: $0, as: UTF8.self) }, body: body))
      line = try nextLine()
    }
    guard line.starts(with: Array("---".utf8)) else {
      throw AgeError.header("a line is neither a stanza nor the closing --- line")
    }
    guard !stanzas.isEmpty else { throw AgeError.header("it has no recipient stanza") }
    guard line.count == 4 + 43, line[3] == 0x20, let mac = Base64.decodeUnpadded(line.dropFirst(4)),
      mac.count == macByteCount
    else { throw AgeError.header("the closing --- line does not carry a well-formed MAC") }
    // The MAC covers everything up to and including "---", not the space after it.
    let authenticated = Array(consumed.dropLast(line.count + 1 - 3))
    return AgeHeader(stanzas: stanzas, mac: mac, authenticatedBytes: authenticated)
  }

  /// The bytes of a header with these stanzas, up to and including `---` (what the MAC covers).
  static func encodeWithoutMAC(_ stanzas: [AgeStanza]) -> [UInt8] {
    var out = versionLine
    out.append(0x0A)
    for stanza in stanzas {
      out += Array("-> ".utf8) + Array(stanza.arguments.joined(separator: " ").utf8)
      out.append(0x0A)
      let text = Base64.encode(stanza.body)
      var offset = 0
      // Full 64-column lines, then always a final shorter line (empty when the body fills its last line).
      while true {
        let end = min(offset + 64, text.count)
        out += text[offset..<end]
        out.append(0x0A)
        if end - offset < 64 { break }
        offset = end
      }
    }
    out += Array("---".utf8)
    return out
  }
}
