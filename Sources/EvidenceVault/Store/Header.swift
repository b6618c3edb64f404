import Foundation

/// How hard the passphrase is stretched: libsodium's three Argon2id presets.
public enum KDFStrength: String, CaseIterable, Sendable {
  /// About 0.1 s and 64 MiB here: for tests and very old machines.
  case interactive
  /// About 0.5 s and 256 MiB here: the default.
  case moderate
  /// Several seconds and 1 GiB: for a machine the abuser may seize.
  case sensitive

  var opsLimit: UInt64 {
    switch self {
    case .interactive: PasswordHash.opsLimitInteractive
    case .moderate: PasswordHash.opsLimitModerate
    case .sensitive: PasswordHash.opsLimitSensitive
    }
  }

  var memLimitBytes: UInt64 {
    switch self {
    case .interactive: PasswordHash.memLimitInteractive
    case .moderate: PasswordHash.memLimitModerate
    case .sensitive: PasswordHash.memLimitSensitive
    }
  }
}

/// `vault.json`: the only plaintext file of a vault. See docs/FORMAT.md and Schemas/vault-header.schema.json.
///
/// Every field is untrusted until the master key unwraps: the wrap's additional data covers all other fields.
struct VaultHeader: Codable, Equatable {
  static let formatName = "evidence-journal"
  /// The version new vaults get; version 1 vaults still open, and `evidence upgrade` rewrites them.
  static let currentVersion = 2
  static let supportedVersions = 1...2
  static let maximumFileSize = 64 * 1024

  /// Caps checked before any key derivation, so a hostile header cannot make us spin or allocate without limit.
  static let opsLimitRange: ClosedRange<UInt64> = 1...10
  static let memLimitRange: ClosedRange<UInt64> = (8 << 20)...(2 << 30)

  struct KDF: Codable, Equatable {
    var algorithm: String
    var opsLimit: UInt64
    var memLimitBytes: UInt64
    var salt: String
  }

  struct WrappedKey: Codable, Equatable {
    var nonce: String
    var ciphertext: String
  }

  var format: String
  var version: Int
  var vaultId: String
  var createdAt: String
  var kdf: KDF
  var inboxPublicKey: String
  var wrappedMasterKey: WrappedKey

  /// The additional data of the master-key wrap: every header field but the wrap itself, length-prefixed.
  var wrapAssociatedData: [UInt8] {
    var bytes: [UInt8] = Array("evidence-journal header\0".utf8)
    bytes.appendField(Array(format.utf8))
    bytes.appendBigEndian(UInt32(clamping: version))
    bytes.appendField(Hex.decode(vaultId) ?? [])
    bytes.appendField(Array(createdAt.utf8))
    bytes.appendField(Array(kdf.algorithm.utf8))
    bytes.appendBigEndian(kdf.opsLimit)
    bytes.appendBigEndian(kdf.memLimitBytes)
    bytes.appendField(Hex.decode(kdf.salt) ?? [])
    bytes.appendField(Hex.decode(inboxPublicKey) ?? [])
    return bytes
  }

  /// Encoded as stored: sorted keys, two-space indentation for people who open the file.
  func encoded() -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    // Encoding plain strings and integers cannot fail.
    guard let data = try? encoder.encode(self) else { preconditionFailure("header encoding failed") }
    return Array(data) + [0x0a]
  }

  /// Parses and checks a header read from disk, before any expensive work.
  static func decode(_ bytes: [UInt8], path: String) throws(VaultError) -> VaultHeader {
    struct Probe: Decodable {
      var format: String?
      var version: Int?
    }
    guard let probe = try? JSONDecoder().decode(Probe.self, from: Data(bytes)) else {
      throw VaultError(
        .headerDamaged, "The vault header \(path) is damaged: it is not valid JSON.",
        hint: "Restore vault.json from a backup; without it the vault cannot be opened.")
    }
    guard probe.format == formatName else {
      throw VaultError(
        .notAVault, "\(path) is not an evidence vault header.",
        hint: "Point --vault at the folder you made with `evidence init`.")
    }
    guard let version = probe.version, supportedVersions.contains(version) else {
      throw VaultError(
        .unsupportedVersion,
        "This vault uses format version \(probe.version.map(String.init) ?? "(none)"), which this program does not know.",
        hint: "Use a newer version of evidence; the vault was not changed.")
    }
    let header: VaultHeader
    do {
      header = try JSONDecoder().decode(VaultHeader.self, from: Data(bytes))
    } catch {
      throw VaultError(.headerDamaged, "The vault header \(path) is damaged: a field is missing or has the wrong type.")
    }
    try header.check(path: path)
    return header
  }

  /// Checks sizes and caps of every field.
  func check(path: String) throws(VaultError) {
    func damaged(_ field: String) -> VaultError {
      VaultError(.headerDamaged, "The vault header \(path) is damaged: its \(field) has the wrong size or form.")
    }
    guard Hex.decode(vaultId, byteCount: 16) != nil else { throw damaged("vault id") }
    guard Hex.decode(kdf.salt, byteCount: PasswordHash.saltByteCount) != nil else { throw damaged("salt") }
    guard Hex.decode(inboxPublicKey, byteCount: 32) != nil else { throw damaged("inbox public key") }
    guard Hex.decode(wrappedMasterKey.nonce, byteCount: AEAD.nonceByteCount) != nil else { throw damaged("key nonce") }
    guard
      Hex.decode(wrappedMasterKey.ciphertext, byteCount: SubkeyDerivation.masterKeyByteCount + AEAD.tagByteCount) != nil
    else { throw damaged("wrapped key") }
    guard kdf.algorithm == "argon2id13" else {
      throw VaultError(
        .unsupportedVersion,
        "The vault header names the key derivation \"\(kdf.algorithm)\", which this program does not know.")
    }
    guard Self.opsLimitRange.contains(kdf.opsLimit), Self.memLimitRange.contains(kdf.memLimitBytes) else {
      throw VaultError(
        .unsafeHeaderParameters,
        "The vault header asks for key derivation beyond safe limits (\(kdf.opsLimit) passes, \(kdf.memLimitBytes >> 20) MiB); it was not attempted.",
        hint: "The header may have been tampered with. Restore vault.json from a backup.")
    }
  }
}
