/// The keys of an unlocked vault, each derived from the master key for exactly one purpose.
///
/// Contexts are fixed 8-byte strings (crypto_kdf); subkey id 1 for all. No key serves two purposes.
struct VaultKeys: ~Copyable {
  enum Context {
    static let record = "EJrecord"
    static let blob = "EJblob__"
    static let blobName = "EJbname_"
    static let signingSeed = "EJsignsd"
    static let inboxSeed = "EJinboxs"
    static let backupState = "EJbackup"
  }

  let recordKey: SecretBytes
  let blobKey: SecretBytes
  let blobNameKey: SecretBytes
  let signing: SigningKeyPair
  /// The inbox key pair, which opens quick notes sealed without the passphrase.
  let inbox: InboxKeyPair
  var inboxPublicKey: [UInt8] { inbox.publicKey }
  /// Seals what the vault keeps about its last backup (when, where): `backup.sealed`.
  let backupStateKey: SecretBytes

  /// Derives every subkey; the master key itself is not kept.
  init(masterKey: borrowing SecretBytes) {
    recordKey = SubkeyDerivation.deriveSubkey(from: masterKey, id: 1, context: Context.record)
    blobKey = SubkeyDerivation.deriveSubkey(from: masterKey, id: 1, context: Context.blob)
    blobNameKey = SubkeyDerivation.deriveSubkey(from: masterKey, id: 1, context: Context.blobName)
    let signingSeed = SubkeyDerivation.deriveSubkey(from: masterKey, id: 1, context: Context.signingSeed)
    signing = SigningKeyPair(seed: signingSeed)
    let inboxSeed = SubkeyDerivation.deriveSubkey(from: masterKey, id: 1, context: Context.inboxSeed)
    inbox = InboxKeyPair(seed: inboxSeed)
    backupStateKey = SubkeyDerivation.deriveSubkey(from: masterKey, id: 1, context: Context.backupState)
  }
}
