import EvidenceAge

/// An age file (binary or armored) opened with the test kit's X25519 identity, or with its passphrase "password"
/// when it has an scrypt stanza (work factor capped low so each input stays fast), and decrypted into capped
/// memory; then the same bytes as a recipients file and as an identity file.
enum AgeHarness {
  /// The identity of the C2SP age test kit's X25519 vectors (Fuzz/Corpus/age/ holds some of them).
  static let identity = try? AgeIdentity(
    parsing: Array("AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0".utf8))

  static func run(_ bytes: UnsafeRawBufferPointer) {
    let file = Array(bytes)
    if let identity, let decryptor = try? AgeDecryptor(input: AgeMemoryInput(file)) {
      do {
        if decryptor.isPassphraseProtected {
          let password = Array("password".utf8)
          let secret = AgeSecretBytes(zeroedByteCount: password.count)
          secret.withUnsafeMutableBytes { target in password.withUnsafeBytes { target.copyMemory(from: $0) } }
          try decryptor.unlock(passphrase: secret, maximumWorkFactor: 12)
        } else {
          try decryptor.unlock(identities: [identity])
        }
        try decryptor.decrypt(to: AgeMemoryOutput(maximumByteCount: 64 << 20))
      } catch {
        // A thrown error is the right end for a hostile file.
      }
    }
    _ = try? AgeRecipient.parseFile(String(decoding: file, as: UTF8.self))
    _ = try? AgeIdentity.parseFile(file)
  }
}
