/// An X25519 recipient: the public key a file is encrypted to, written `age1…`.
public struct AgeRecipient: Hashable, Sendable, CustomStringConvertible {
  /// The 32-byte Curve25519 point.
  public let publicKey: [UInt8]

  init(publicKey: [UInt8]) {
    precondition(publicKey.count == AgeX25519.byteCount)
    self.publicKey = publicKey
  }

  /// Parses an `age1…` recipient.
  ///
  /// - Throws: `keyInvalid` when it is not a Bech32 `age` string of a 32-byte key.
  public init(parsing text: some StringProtocol) throws(AgeError) {
    let trimmed = String(text)
    guard let (hrp, data) = Bech32.decode(Array(trimmed.utf8)), hrp == "age", data.count == AgeX25519.byteCount,
      trimmed == trimmed.lowercased()
    else {
      if trimmed.hasPrefix("age1pq1") || trimmed.hasPrefix("age1tag") || trimmed.hasPrefix("ssh-") {
        throw AgeError(
          .keyInvalid, "The recipient \(Self.shortened(trimmed)) is of a kind this program cannot encrypt to.",
          hint: "Ask the recipient to make an X25519 key with `age-keygen` and send the age1… line it prints.")
      }
      throw AgeError(
        .keyInvalid, "\(Self.shortened(trimmed)) is not an age recipient (a line that starts with age1…).",
        hint: "Copy the whole age1… line that `age-keygen` printed for the recipient.")
    }
    self.init(publicKey: data)
  }

  /// The `age1…` form.
  public var encoded: String { Bech32.encode(hrp: "age", data: publicKey) }
  public var description: String { encoded }

  static func shortened(_ text: String) -> String {
    let printable = String(text.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F })
    return printable.count > 24 ? "“\(printable.prefix(20))…”" : "“\(printable)”"
  }

  /// Parses a recipients file: one `age1…` per line; blank lines and lines starting with `#` are skipped.
  ///
  /// - Throws: `keyInvalid` naming the line number of the first line that is not a recipient; `recipientsInvalid`
  ///   when the file has none.
  public static func parseFile(_ text: String) throws(AgeError) -> [AgeRecipient] {
    var recipients: [AgeRecipient] = []
    for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
      let line = rawLine.trimmingWhitespace()
      if line.isEmpty || line.hasPrefix("#") { continue }
      do {
        recipients.append(try AgeRecipient(parsing: line))
      } catch let failure {
        throw AgeError(failure.code, "Line \(index + 1) of the recipients file: \(failure.message)", hint: failure.hint)
      }
    }
    guard !recipients.isEmpty else {
      throw AgeError(
        .recipientsInvalid, "The recipients file holds no age1… recipient.",
        hint: "Put one age1… line per recipient in the file; lines starting with # are comments.")
    }
    return recipients
  }
}

/// An X25519 identity: the secret key that opens files sent to its recipient, written `AGE-SECRET-KEY-1…`.
///
/// The key lives in guarded memory and is wiped when the identity goes away.
public final class AgeIdentity: @unchecked Sendable {
  let secretKey: AgeSecretBytes
  /// The recipient that files for this identity are encrypted to.
  public let recipient: AgeRecipient

  init(secretKey: consuming AgeSecretBytes) {
    self.recipient = AgeRecipient(publicKey: AgeX25519.publicKey(secret: secretKey))
    self.secretKey = secretKey
  }

  /// A new random identity.
  public static func generate() -> AgeIdentity {
    AgeIdentity(secretKey: AgeSecretBytes(randomByteCount: AgeX25519.byteCount))
  }

  /// Parses one `AGE-SECRET-KEY-1…` line (its bytes; the caller wipes its copy).
  ///
  /// - Throws: `keyInvalid` when it is not a Bech32 `AGE-SECRET-KEY-` string of a 32-byte key.
  public convenience init(parsing bytes: [UInt8]) throws(AgeError) {
    let isUpper = !bytes.contains { (97...122).contains($0) }
    guard isUpper, let decoded = Bech32.decode(bytes), decoded.hrp == "age-secret-key-",
      decoded.data.count == AgeX25519.byteCount
    else {
      if bytes.starts(with: Array("AGE-SECRET-KEY-PQ-".utf8)) || bytes.starts(with: Array("AGE-PLUGIN-".utf8)) {
        throw AgeError(
          .keyInvalid, "The identity is of a kind this program cannot use (post-quantum or plugin keys).",
          hint: "Use an X25519 identity made with `age-keygen`, the line that starts with AGE-SECRET-KEY-1.")
      }
      throw AgeError(
        .keyInvalid, "This is not an age identity (a line that starts with AGE-SECRET-KEY-1).",
        hint: "Give the file that `age-keygen` wrote, or the AGE-SECRET-KEY-1… line from it.")
    }
    var data = decoded.data
    let secret = AgeSecretBytes(zeroedByteCount: data.count)
    secret.withUnsafeMutableBytes { target in data.withUnsafeBytes { target.copyMemory(from: $0) } }
    AgeSodium.wipe(&data)
    self.init(secretKey: secret)
  }

  /// The `AGE-SECRET-KEY-1…` form, for writing an identity file. Handle it as the secret it is.
  public func encodedSecretKey() -> String {
    let data = secretKey.withUnsafeBytes { Array($0) }
    return Bech32.encode(hrp: "AGE-SECRET-KEY-", data: data)
  }

  /// Parses an identity file (as `age-keygen` writes it): `AGE-SECRET-KEY-1…` lines, `#` comments, blank lines.
  ///
  /// - Throws: `keyInvalid` naming the first line that is not an identity; `keyInvalid` when there is none.
  public static func parseFile(_ bytes: [UInt8]) throws(AgeError) -> [AgeIdentity] {
    var identities: [AgeIdentity] = []
    var lineNumber = 0
    for rawLine in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
      lineNumber += 1
      var line = Array(rawLine)
      defer { AgeSodium.wipe(&line) }
      while let last = line.last, last == 0x0D || last == 0x20 || last == 0x09 { line.removeLast() }
      while let first = line.first, first == 0x20 || first == 0x09 { line.removeFirst() }
      if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
      do {
        identities.append(try AgeIdentity(parsing: line))
      } catch let failure {
        throw AgeError(failure.code, "Line \(lineNumber) of the identity file: \(failure.message)", hint: failure.hint)
      }
    }
    guard !identities.isEmpty else {
      throw AgeError(
        .keyInvalid, "The identity file holds no AGE-SECRET-KEY-1… line.",
        hint: "Give the file that `age-keygen` wrote (it holds the secret key of the recipient).")
    }
    return identities
  }
}

extension StringProtocol {
  fileprivate func trimmingWhitespace() -> String {
    let scalars = unicodeScalars.drop { $0 == " " || $0 == "\t" || $0 == "\r" }
    var text = String(String.UnicodeScalarView(scalars))
    while let last = text.unicodeScalars.last, last == " " || last == "\t" || last == "\r" {
      text.unicodeScalars.removeLast()
    }
    return text
  }
}
