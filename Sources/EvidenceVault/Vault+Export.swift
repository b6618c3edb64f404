import Foundation

/// What an export needs from the vault's crypto, without exposing keys: signatures, hashes, the chain rule.
extension Vault {
  /// The domain of export signatures, so a signature over an export can never pass for another kind of signature.
  static let exportSignatureTag = Array("evidence-journal export v1\0".utf8)

  /// Signs an export manifest with the vault's Ed25519 key: the signature is over the exact bytes of
  /// `manifest.json`, so that `openssl pkeyutl -verify -rawin` checks it. The domain separation is inside the
  /// signed bytes: a manifest is JSON, starting with `{`, and names its format ("evidence-journal export v2"); every
  /// other message the vault signs starts with its own tag ("evidence-journal head v1\0", the v1 export tag), so
  /// no signature can pass for another kind.
  public func signExport(_ manifest: [UInt8]) -> [UInt8] {
    precondition(manifest.first == UInt8(ascii: "{"), "an export manifest is a JSON object")
    return keys.signing.sign(manifest)
  }

  /// The current chain head, signed as `head.json` signs it: (sequence, chain hash hex, signature hex).
  public func signedHead() -> (sequence: UInt64, hash: String, signature: String) {
    let checkpoint = HeadCheckpoint.make(head: integrity.head, vaultId: vaultIdBytes, signer: keys.signing)
    return (checkpoint.sequence, checkpoint.chain, checkpoint.signature)
  }

  /// The signing public key, hex.
  public var signingPublicKeyHex: String { Hex.encode(keys.signing.publicKey) }

  /// The vault id, hex (it seeds the chain).
  public var vaultIdHex: String { Hex.encode(vaultIdBytes) }
}

/// Checks an export without the vault: signatures, file hashes and the hash chain.
public enum ExportCrypto {
  /// True when `signature` (hex) is the vault's signature over `manifest`, by `publicKey` (hex), as version 1
  /// packages sign it (over a tag and the manifest).
  public static func isValidVersion1Signature(_ signature: String, manifest: [UInt8], publicKey: String) -> Bool {
    guard let signatureBytes = Hex.decode(signature, byteCount: 64), let key = Hex.decode(publicKey, byteCount: 32)
    else { return false }
    return SigningKeyPair.isValidSignature(signatureBytes, of: Vault.exportSignatureTag + manifest, publicKey: key)
  }

  /// True when `signature` (64 bytes) is the signature over exactly `manifest`, by `publicKey` (hex), as version 2
  /// packages sign it (`Vault.signExport`).
  public static func isValidSignature(_ signature: [UInt8], manifest: [UInt8], publicKey: String) -> Bool {
    guard signature.count == 64, let key = Hex.decode(publicKey, byteCount: 32) else { return false }
    return SigningKeyPair.isValidSignature(signature, of: manifest, publicKey: key)
  }

  /// True when `signature` (hex) signs the head (`sequence`, `chain` hex) of the vault `vaultId` (hex) as
  /// `head.json` does, by `publicKey` (hex).
  public static func isValidHeadSignature(
    _ signature: String, vaultId: String, sequence: UInt64, chain: String, publicKey: String
  ) -> Bool {
    guard let id = Hex.decode(vaultId, byteCount: 16), let key = Hex.decode(publicKey, byteCount: 32) else {
      return false
    }
    return HeadCheckpoint(sequence: sequence, chain: chain, signature: signature).isAuthentic(
      vaultId: id, publicKey: key)
  }

  /// The Ed25519 public key (hex) as a PEM "PUBLIC KEY" (SubjectPublicKeyInfo, RFC 8410), which `openssl` reads.
  public static func pem(publicKey: String) -> String? {
    guard let key = Hex.decode(publicKey, byteCount: 32) else { return nil }
    let der: [UInt8] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00] + key
    return "-----BEGIN PUBLIC KEY-----\n\(Data(der).base64EncodedString())\n-----END PUBLIC KEY-----\n"
  }

  /// A fingerprint as someone typed it ("5b44 19c0 …", with or without spaces or colons, any case) in the form
  /// `fingerprint(publicKey:)` shows; nil when it is not 32 hex digits.
  public static func canonicalFingerprint(_ text: String) -> String? {
    let digits = text.lowercased().filter { !" :-\t".contains($0) }
    guard digits.count == 32, digits.allSatisfy({ $0.isHexDigit && $0.isASCII }) else { return nil }
    return stride(from: 0, to: 32, by: 4).map { offset in
      let start = digits.index(digits.startIndex, offsetBy: offset)
      return String(digits[start..<digits.index(start, offsetBy: 4)])
    }.joined(separator: " ")
  }

  /// SHA-256 of a file, hex, streamed in 1 MiB pieces.
  public static func sha256(of url: URL) throws(VaultError) -> (hex: String, size: Int64) {
    let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .fileSystem("read", url.path, errno: errno) }
    defer { close(descriptor) }
    let hasher = FastSHA256()
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    var size: Int64 = 0
    while true {
      let count = try BlobStore.readFully(descriptor, into: &buffer, path: url.path)
      if count == 0 { break }
      buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
      size += Int64(count)
    }
    return (Hex.encode(hasher.finish()), size)
  }

  /// Bytes as lowercase hex.
  public static func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }

  /// SHA-256 of bytes, hex.
  public static func sha256(_ bytes: [UInt8]) -> String { Hex.encode(SHA256.hash(bytes)) }

  /// The chain's leaf of a record's stored JSON bytes, hex.
  public static func leaf(_ recordBytes: [UInt8]) -> String { Hex.encode(Chain.leaf(recordBytes)) }

  /// The chain value after each of `leaves` (hex) from the genesis of `vaultId` (hex): element i is
  /// `chain_(i+1)`. Nil for malformed input.
  public static func chainValues(vaultId: String, leaves: [String]) -> [String]? {
    guard let id = Hex.decode(vaultId, byteCount: 16) else { return nil }
    var chain = Chain.genesis(vaultId: id)
    var values: [String] = []
    values.reserveCapacity(leaves.count)
    for leaf in leaves {
      guard let bytes = Hex.decode(leaf, byteCount: 32) else { return nil }
      chain = Chain.next(previous: chain, leaf: bytes)
      values.append(Hex.encode(chain))
    }
    return values
  }

  /// The chain value after each leaf, for leaves that may skip sequence numbers (a salvage export of a damaged
  /// version 2 journal): where `sequence` jumps, the chain goes on from the given `chainBefore` (hex), the value the
  /// record after the damage carries. Nil for malformed input, or for a jump without a `chainBefore`.
  public static func chainValues(
    vaultId: String, items: [(sequence: UInt64, leaf: String, chainBefore: String?)]
  ) -> [(sequence: UInt64, chain: String)]? {
    guard let id = Hex.decode(vaultId, byteCount: 16) else { return nil }
    var chain = Chain.genesis(vaultId: id)
    var expected: UInt64 = 1
    var values: [(UInt64, String)] = []
    values.reserveCapacity(items.count)
    for item in items {
      guard let leaf = Hex.decode(item.leaf, byteCount: 32), item.sequence >= expected else { return nil }
      if item.sequence != expected {
        guard let resumed = item.chainBefore.flatMap({ Hex.decode($0, byteCount: 32) }) else { return nil }
        chain = resumed
      }
      chain = Chain.next(previous: chain, leaf: leaf)
      values.append((item.sequence, Hex.encode(chain)))
      expected = item.sequence + 1
    }
    return values
  }

  /// "ab12 cd34 …": the first 16 bytes of SHA-256 of a public key, as `Vault.fingerprint` shows it.
  public static func fingerprint(publicKey: String) -> String? {
    guard let key = Hex.decode(publicKey, byteCount: 32) else { return nil }
    let hex = Hex.encode(SHA256.hash(key).prefix(16))
    return stride(from: 0, to: hex.count, by: 4).map { offset in
      let start = hex.index(hex.startIndex, offsetBy: offset)
      return String(hex[start..<hex.index(start, offsetBy: 4)])
    }.joined(separator: " ")
  }
}

/// SHA-256 fed piece by piece, for files read from somewhere other than the disk (an entry of a zip archive).
public final class StreamingSHA256 {
  private let hasher = FastSHA256()
  /// How many bytes were fed.
  public private(set) var size: Int64 = 0

  public init() {}

  public func update(_ data: Data) {
    data.withUnsafeBytes { hasher.update($0) }
    size += Int64(data.count)
  }

  /// The digest as lowercase hex; the hasher cannot be fed after this.
  public func finishHex() -> String { Hex.encode(hasher.finish()) }
}
