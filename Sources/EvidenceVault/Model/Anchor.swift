import Foundation

/// A record that the journal's first `sequence` records were given a short code that the person sent off the
/// device (Schemas/record-anchor.schema.json; DESIGN.md, "Anchors").
///
/// The code is the proof; this record only remembers that it was made, and when, so that `verify` and the
/// dossier can say which records are anchored and which are not yet.
public struct Anchor: Equatable, Sendable {
  public internal(set) var stamp: RecordStamp
  /// How many records the code covers: the journal's head when it was made.
  public var sequence: UInt64
  /// `chain_sequence`, hex.
  public var chain: String
  /// The code, as it was shown: "17-K3M9P-Q2X7T-ZB4HW-N8R2D-5QXJ1-7CE3A" (version 2), or "17-K3M9-PQ2X-7TZB-4HWN"
  /// (version 1, before codes named the signing key).
  public var code: String
  /// The Ed25519 public key (hex) a version 2 code commits to: the vault's signing key when the code was made.
  /// Kept so that a code made before a change of keys still checks afterwards; absent for version 1 codes.
  public var signingKey: String?

  public init(sequence: UInt64, chain: String, code: String, signingKey: String? = nil) {
    self.stamp = .unstamped
    self.sequence = sequence
    self.chain = chain
    self.code = code
    self.signingKey = signingKey
  }
}

/// Anchor codes: the head's position in the clear, a hash of the chain value there and of the signing key, and a
/// check symbol (docs/FORMAT.md, "Anchors").
///
/// Version 2 (every code made now):
/// `code = "<sequence>-" + Crockford base32 of the first 29 symbols' worth of
/// SHA-256(0x04 ‖ "evidence-journal anchor v2" ‖ vault id ‖ u64 big-endian sequence ‖ chain_sequence ‖ signing key)`
/// and one check symbol, in six groups of five. 145 bits: nobody, not even the person who made the code, can build
/// two journals (or two keys) with the same code; the check symbol turns any single mistyped symbol or digit, and
/// any two neighbours swapped, into "mistyped" instead of "does not match".
/// Version 1 (codes made before): 16 symbols of SHA-256(0x03 ‖ "evidence-journal anchor" ‖ vault id ‖ u64 sequence
/// ‖ chain), no key, no check; still read and checked.
public enum AnchorCode {
  /// Crockford's base32 alphabet: no I, L, O or U, so a code survives being read aloud or copied by hand.
  static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
  /// Symbols of hash in a version 2 code (the check symbol comes after them).
  static let hashSymbolCount = 29
  /// Symbols of a version 1 code.
  static let version1SymbolCount = 16

  /// The version 2 code of the head (`sequence`, `chain`) of the vault `vaultId` signed by `signingKey`.
  public static func make(vaultId: [UInt8], sequence: UInt64, chain: [UInt8], signingKey: [UInt8]) -> String {
    var input: [UInt8] = [0x04]
    input += Array("evidence-journal anchor v2".utf8)
    input += vaultId
    input += bigEndian(sequence)
    input += chain
    input += signingKey
    let symbols = Array(base32(SHA256.hash(input)).prefix(hashSymbolCount))
    let digits = Array(String(sequence).utf8)
    return format(sequence, symbols + [checkSymbol(digits: digits, symbols: symbols)], groupsOf: 5)
  }

  /// The version 2 code from hex (vault id, chain, signing key); nil for malformed hex.
  public static func make(vaultIdHex: String, sequence: UInt64, chainHex: String, signingKeyHex: String) -> String? {
    guard let id = Hex.decode(vaultIdHex, byteCount: 16), let chain = Hex.decode(chainHex, byteCount: 32),
      let key = Hex.decode(signingKeyHex, byteCount: 32)
    else { return nil }
    return make(vaultId: id, sequence: sequence, chain: chain, signingKey: key)
  }

  /// The version 1 code (no signing key, no check symbol): only to check codes made before version 2.
  public static func makeVersion1(vaultId: [UInt8], sequence: UInt64, chain: [UInt8]) -> String {
    var input: [UInt8] = [0x03]
    input += Array("evidence-journal anchor".utf8)
    input += vaultId
    input += bigEndian(sequence)
    input += chain
    return format(sequence, base32(Array(SHA256.hash(input).prefix(10))), groupsOf: 4)
  }

  /// The version 1 code from hex; nil for malformed hex.
  public static func makeVersion1(vaultIdHex: String, sequence: UInt64, chainHex: String) -> String? {
    guard let id = Hex.decode(vaultIdHex, byteCount: 16), let chain = Hex.decode(chainHex, byteCount: 32) else {
      return nil
    }
    return makeVersion1(vaultId: id, sequence: sequence, chain: chain)
  }

  /// 1 or 2: the version of a canonical code (as `parse` returns it): four groups of four, or six of five.
  public static func version(of canonical: String) -> Int {
    canonical.split(separator: "-").count == 5 ? 1 : 2
  }

  /// Whether the canonical `code` is the one of the head (`sequence`, `chain`) of `vaultId`, for a version 2 code
  /// made with `signingKey` (hex); every argument hex.
  public static func matches(
    _ code: String, vaultIdHex: String, sequence: UInt64, chainHex: String, signingKeyHex: String?
  ) -> Bool {
    if version(of: code) == 1 {
      return makeVersion1(vaultIdHex: vaultIdHex, sequence: sequence, chainHex: chainHex) == code
    }
    guard let signingKeyHex else { return false }
    return make(vaultIdHex: vaultIdHex, sequence: sequence, chainHex: chainHex, signingKeyHex: signingKeyHex) == code
  }

  private static func bigEndian(_ value: UInt64) -> [UInt8] {
    (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
  }

  /// Crockford base32 of `bytes`, the last symbol padded with zero bits.
  private static func base32(_ bytes: [UInt8]) -> [UInt8] {
    var bits = 0
    var buffer = 0
    var symbols: [UInt8] = []
    for byte in bytes {
      buffer = (buffer << 8) | Int(byte)
      bits += 8
      while bits >= 5 {
        bits -= 5
        symbols.append(alphabet[(buffer >> bits) & 31])
        buffer &= (1 << bits) - 1
      }
    }
    if bits > 0 { symbols.append(alphabet[(buffer << (5 - bits)) & 31]) }
    return symbols
  }

  private static func format(_ sequence: UInt64, _ symbols: [UInt8], groupsOf size: Int) -> String {
    let groups = stride(from: 0, to: symbols.count, by: size).map {
      String(decoding: symbols[$0..<min($0 + size, symbols.count)], as: UTF8.self)
    }
    return "\(sequence)-" + groups.joined(separator: "-")
  }

  /// The check symbol: Damm's algorithm over GF(32) (x ∗ y = 2·x + y, with x⁵ + x² + 1), run over the sequence's
  /// decimal digits and the hash symbols. It catches every single changed digit or symbol and every swap of two
  /// neighbours.
  static func checkSymbol(digits: [UInt8], symbols: [UInt8]) -> UInt8 {
    var interim: UInt8 = 0
    for value in digits.map({ $0 - UInt8(ascii: "0") }) + symbols.map(symbolValue) {
      interim = timesTwo(interim) ^ value
    }
    return alphabet[Int(timesTwo(interim))]  // the symbol c with 2·interim + c = 0
  }

  private static func symbolValue(_ symbol: UInt8) -> UInt8 {
    UInt8(alphabet.firstIndex(of: symbol) ?? 0)
  }

  private static func timesTwo(_ value: UInt8) -> UInt8 {
    ((value << 1) & 31) ^ (value & 16 != 0 ? 0b00101 : 0)
  }

  /// How many of a journal's `recordCount` records are not yet anchored: those after the last anchor's head,
  /// not counting anchor records themselves. `anchors` are (the head each covers, its own journal position), in
  /// journal order; with none, every record is unanchored.
  public static func unanchoredCount(recordCount: Int, anchors: [(covers: UInt64, at: UInt64)]) -> Int {
    let covered = anchors.last?.covers ?? 0
    let laterAnchors = anchors.filter { $0.at > covered }.count
    return max(0, recordCount - Int(covered) - laterAnchors)
  }

  /// The largest record count a code can name: no journal comes near it, and every count up to it converts to
  /// `Int` without trapping.
  public static let maximumSequence = UInt64(Int64.max)

  /// A code as someone typed it back, made canonical: upper case, spaces and dashes where they belong, and the
  /// letters people confuse read as Crockford says (O → 0, I and L → 1).
  ///
  /// The number before the first dash is ASCII digits only (no sign, no spaces, no other digits) and at most
  /// `maximumSequence`.
  /// - Throws: `invalidInput` with a sentence, when it cannot be a code.
  public static func parse(_ text: String) throws(VaultError) -> (sequence: UInt64, code: String) {
    let hint =
      "An anchor code looks like 17-K3M9P-Q2X7T-ZB4HW-N8R2D-5QXJ1-7CE3A: a number, then 30 letters and digits (16 in older codes)."
    // Whatever was pasted is named in the message, but not at any length.
    let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
    let invalid = VaultError(.invalidInput, "\"\(shown)\" is not an anchor code.", hint: hint)
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard let dash = trimmed.firstIndex(of: "-") else { throw invalid }
    let digits = trimmed[..<dash].utf8
    guard !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
      throw invalid
    }
    guard let sequence = UInt64(Substring(digits)), sequence <= maximumSequence else {
      throw VaultError(
        .invalidInput,
        "\"\(shown)\" is not an anchor code: the number before the first dash is larger than any journal can be.",
        hint: hint)
    }
    var symbols: [UInt8] = []
    for scalar in trimmed[trimmed.index(after: dash)...].uppercased().utf8 {
      switch scalar {
      case UInt8(ascii: "-"), UInt8(ascii: " "): continue
      case UInt8(ascii: "O"): symbols.append(UInt8(ascii: "0"))
      case UInt8(ascii: "I"), UInt8(ascii: "L"): symbols.append(UInt8(ascii: "1"))
      case let symbol where alphabet.contains(symbol): symbols.append(symbol)
      default: throw invalid
      }
    }
    if symbols.count == version1SymbolCount { return (sequence, format(sequence, symbols, groupsOf: 4)) }
    guard symbols.count == hashSymbolCount + 1 else { throw invalid }
    let check = checkSymbol(digits: Array(String(sequence).utf8), symbols: Array(symbols.prefix(hashSymbolCount)))
    guard check == symbols[hashSymbolCount] else {
      throw VaultError(
        .invalidInput,
        "The anchor code \(format(sequence, symbols, groupsOf: 5)) is mistyped: its last character does not fit the others.",
        hint: "Compare it with the code you received, character by character (the number at the start too).")
    }
    return (sequence, format(sequence, symbols, groupsOf: 5))
  }
}
