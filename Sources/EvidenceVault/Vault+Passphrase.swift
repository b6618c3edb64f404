import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Vault {
  // MARK: - Passphrase

  /// Re-wraps the master key under `newPassphrase`; only `vault.json` is rewritten.
  ///
  /// This does not lock out anyone who kept a copy of `vault.json` and knows the old passphrase: the master key is
  /// the same, so that copy still opens every later copy of the journal and blobs. `rekey` does.
  ///
  /// A wrong old passphrase is recorded in `inbox/` as `open` records it.
  /// - Throws: as `open` for the old passphrase, and `fileSystem`/`diskFull` for the write.
  public static func changePassphrase(
    at folder: URL, from oldPassphrase: borrowing SecretBytes, to newPassphrase: borrowing SecretBytes,
    strength: KDFStrength? = nil, clock: () -> Date = Date.init, attempt: UnlockAttempt = .unnamed
  ) throws(VaultError) {
    let headerURL = folder.appendingPathComponent(Layout.header)
    guard FileManager.default.fileExists(atPath: headerURL.path) else {
      throw VaultError(
        .notAVault, "There is no vault at \(folder.path).", hint: "Point --vault at the folder that holds your vault.")
    }
    let lock = try VaultLock(folder: folder, timeout: lockTimeout)
    defer { withExtendedLifetime(lock) {} }
    var header = try VaultHeader.decode(
      DurableFiles.read(headerURL, limit: VaultHeader.maximumFileSize), path: headerURL.path)
    // A change of keys that was interrupted is finished first; then its new master key gets the new passphrase.
    var finishedRekey: RekeyOutcome?
    let masterKey = try unlock(
      folder: folder, header: &header, passphrase: oldPassphrase, finished: &finishedRekey, attempt: attempt,
      now: clock)
    let salt = Sodium.randomBytes(PasswordHash.saltByteCount)
    header.kdf.salt = Hex.encode(salt)
    if let strength {
      header.kdf.opsLimit = strength.opsLimit
      header.kdf.memLimitBytes = strength.memLimitBytes
    }
    try wrap(masterKey, into: &header, passphrase: newPassphrase, salt: salt)
    try DurableFiles.replace(headerURL, with: header.encoded())
  }
}
