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
  /// The code, as it was shown: "17-K3M9-PQ2X-7TZB-4HWN".
  public var code: String

  public init(sequence: UInt64, chain: String, code: String) {
    self.stamp = .unstamped
    self.sequence = sequence
    self.chain = chain
    self.code = code
  }
}

/// Anchor codes: the head's position in the clear and 80 bits of a hash of the chain value at that position.
///
/// `code = "<sequence>-" + Crockford base32 of the first 10 bytes of
/// SHA-256(0x03 ‖ "evidence-journal anchor" ‖ vault id ‖ u64 big-endian sequence ‖ chain_sequence)`, in four
/// groups of four. Short enough to send by SMS or read out on the phone; 80 bits are far beyond what anyone can
/// forge by building another journal with the same code.
public enum AnchorCode {
  /// Crockford's base32 alphabet: no I, L, O or U, so a code survives being read aloud or copied by hand.
  static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

  /// The code of the head (`sequence`, `chain`) of the vault `vaultId`.
  public static func make(vaultId: [UInt8], sequence: UInt64, chain: [UInt8]) -> String {
    var input: [UInt8] = [0x03]
    input += Array("evidence-journal anchor".utf8)
    input += vaultId
    input += (0..<8).reversed().map { UInt8(truncatingIfNeeded: sequence >> (8 * UInt64($0))) }
    input += chain
    let digest = SHA256.hash(input).prefix(10)
    var bits = 0
    var buffer = 0
    var symbols: [UInt8] = []
    for byte in digest {
      buffer = (buffer << 8) | Int(byte)
      bits += 8
      while bits >= 5 {
        bits -= 5
        symbols.append(alphabet[(buffer >> bits) & 31])
        buffer &= (1 << bits) - 1
      }
    }
    let groups = stride(from: 0, to: symbols.count, by: 4).map { String(decoding: symbols[$0..<$0 + 4], as: UTF8.self) }
    return "\(sequence)-" + groups.joined(separator: "-")
  }

  /// The code of the head (`sequence`, `chain` hex) of the vault `vaultId` (hex); nil for malformed hex.
  public static func make(vaultIdHex: String, sequence: UInt64, chainHex: String) -> String? {
    guard let id = Hex.decode(vaultIdHex, byteCount: 16), let chain = Hex.decode(chainHex, byteCount: 32) else {
      return nil
    }
    return make(vaultId: id, sequence: sequence, chain: chain)
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
    let hint = "An anchor code looks like 17-K3M9-PQ2X-7TZB-4HWN: a number, then 16 letters and digits."
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
    guard symbols.count == 16 else { throw invalid }
    let groups = stride(from: 0, to: 16, by: 4).map { String(decoding: symbols[$0..<$0 + 4], as: UTF8.self) }
    return (sequence, "\(sequence)-" + groups.joined(separator: "-"))
  }
}
