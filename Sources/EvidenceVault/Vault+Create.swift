import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Vault {
  // MARK: - Creating

  /// Makes a new, empty vault in `folder` (which must not exist or be empty) and opens it.
  ///
  /// - Throws: `alreadyExists`, `fileSystem`, `diskFull`, `outOfMemory`.
  public static func create(
    at folder: URL, passphrase: borrowing SecretBytes, strength: KDFStrength = .moderate,
    clock: @escaping () -> Date = Date.init
  ) throws(VaultError) -> Vault {
    try create(
      at: folder, passphrase: passphrase, opsLimit: strength.opsLimit, memLimitBytes: strength.memLimitBytes,
      clock: clock)
  }

  /// Makes a vault with explicit Argon2id costs (within the header caps); tests use the cheapest.
  static func create(
    at folder: URL, passphrase: borrowing SecretBytes, opsLimit: UInt64, memLimitBytes: UInt64,
    clock: @escaping () -> Date = Date.init, version: JournalFormat.Version = .v2
  ) throws(VaultError) -> Vault {
    precondition(VaultHeader.opsLimitRange.contains(opsLimit) && VaultHeader.memLimitRange.contains(memLimitBytes))
    try ensureEmpty(folder, allowing: [])
    try DurableFiles.makeFolder(folder)
    chmod(folder.path, DurableFiles.folderMode)  // an existing empty folder may have been made with wider rights
    let lock = try VaultLock(folder: folder, timeout: lockTimeout)
    // Another `init` may have made a vault here while this one waited for the lock.
    try ensureEmpty(folder, allowing: ["lock"])

    let vaultId = Sodium.randomBytes(16)
    let salt = Sodium.randomBytes(PasswordHash.saltByteCount)
    let masterKey = SecretBytes(randomByteCount: SubkeyDerivation.masterKeyByteCount)
    let keys = VaultKeys(masterKey: masterKey)
    var header = VaultHeader(
      format: VaultHeader.formatName, version: version.rawValue, vaultId: Hex.encode(vaultId),
      createdAt: WhenFormatter.rfc3339UTC(clock()),
      kdf: .init(
        algorithm: "argon2id13", opsLimit: opsLimit, memLimitBytes: memLimitBytes, salt: Hex.encode(salt)),
      inboxPublicKey: Hex.encode(keys.inboxPublicKey), wrappedMasterKey: .init(nonce: "", ciphertext: ""))
    try wrap(masterKey, into: &header, passphrase: passphrase, salt: salt)

    for name in [Layout.blobs, Layout.inbox] {
      try DurableFiles.makeFolder(folder.appendingPathComponent(name))
    }
    let genesis = ChainHead(sequence: 0, hash: Chain.genesis(vaultId: vaultId))
    let emptyJournal = version == .v2 ? JournalFormat.magicV2 : []
    // No file is ever replaced here: whatever else made a vault in this folder meanwhile is left as it is.
    let taken = VaultError(
      .alreadyExists, "Another `evidence init` made a vault in \(folder.path) at the same time.",
      hint: "Use that vault, or choose another folder with --vault.")
    try DurableFiles.createWhole(folder.appendingPathComponent(Layout.journal), with: emptyJournal, alreadyThere: taken)
    try DurableFiles.createWhole(
      folder.appendingPathComponent(HeadCheckpoint.fileName),
      with: HeadCheckpoint.make(head: genesis, vaultId: vaultId, signer: keys.signing).encoded(), alreadyThere: taken)
    // The header goes last: a folder without it is not a vault, so a crash before this line leaves no half-made vault.
    try DurableFiles.createWhole(
      folder.appendingPathComponent(Layout.header), with: header.encoded(), alreadyThere: taken)

    return Vault(
      folder: folder, vaultId: vaultId, frameVersion: version, keys: keys, lock: lock, records: [],
      integrity: IntegrityReport(head: genesis), journalSize: emptyJournal.count, clock: clock)
  }

  /// Throws `alreadyExists` when `folder` holds anything but `allowed`, with a hint that fits what is there.
  private static func ensureEmpty(_ folder: URL, allowing allowed: Set<String>) throws(VaultError) {
    guard let contents = try? FileManager.default.contentsOfDirectory(atPath: folder.path),
      contents.contains(where: { !allowed.contains($0) })
    else { return }
    let ownFiles: Set<String> = [Layout.journal, Layout.blobs, Layout.inbox, HeadCheckpoint.fileName, "lock"]
    let hint =
      if contents.contains(Layout.header) {
        "There is already a vault there. Use it, or choose another folder with --vault."
      } else if contents.allSatisfy({ ownFiles.contains($0) || $0.contains(DurableFiles.temporaryMarker) }) {
        "An earlier `evidence init` there was interrupted before it finished. Delete that folder and run init again."
      } else {
        "Choose another folder with --vault."
      }
    throw VaultError(
      .alreadyExists, "\(folder.path) already holds files; a new vault needs an empty folder.", hint: hint)
  }

  /// Argon2id at the header's (already capped) cost.
  static func deriveKeyEncryptionKey(
    passphrase: borrowing SecretBytes, salt: [UInt8], header: VaultHeader
  ) throws(VaultError) -> SecretBytes {
    do {
      return try PasswordHash.deriveKey(
        passphrase: passphrase, salt: salt, opsLimit: header.kdf.opsLimit, memLimitBytes: header.kdf.memLimitBytes)
    } catch {
      throw VaultError(
        .outOfMemory,
        "There is not enough free memory for the passphrase's key derivation (\(header.kdf.memLimitBytes >> 20) MiB).",
        hint: "Close other programs and try again.")
    }
  }

  /// Seals the master key under a key derived from `passphrase`, with the header's other fields as additional data.
  static func wrap(
    _ masterKey: borrowing SecretBytes, into header: inout VaultHeader, passphrase: borrowing SecretBytes,
    salt: [UInt8]
  ) throws(VaultError) {
    let kek = try deriveKeyEncryptionKey(passphrase: passphrase, salt: salt, header: header)
    let (nonce, ciphertext) = AEAD.sealSecret(masterKey, associatedData: header.wrapAssociatedData, key: kek)
    header.wrappedMasterKey = .init(nonce: Hex.encode(nonce), ciphertext: Hex.encode(ciphertext))
  }
}
