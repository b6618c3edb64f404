import ArgumentParser
import EvidenceCatalogue
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct Passwd: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: String(.abstractPasswd),
      discussion: """
        Plain passwd rewrites only the vault header: anyone who kept a copy of vault.json and knows the old \
        passphrase can still read copies of the vault made later. --rekey makes a new master key and re-encrypts \
        every record and attachment under it, so that such a copy reads nothing any more; it also changes the \
        vault's fingerprint. An interrupted --rekey is finished the next time the vault is opened, with the old or \
        the new passphrase. With --passphrase-fd, the current passphrase is the first line and the new one the second.
        """)

    @OptionGroup var vaultOptions: VaultOptions

    @Option(
      name: .long,
      help: ArgumentHelp(
        "Also change how hard the passphrase is protected: interactive, moderate or sensitive.", valueName: "cost"))
    var kdf: String?

    @Flag(
      name: .long,
      help:
        "Also make a new master key and re-encrypt everything under it, so that an old copy of vault.json opens nothing written after."
    )
    var rekey = false

    func validate() throws {
      if let kdf, KDFStrength(rawValue: kdf) == nil {
        throw ValidationError("--kdf takes interactive, moderate or sensitive.")
      }
    }

    func run() throws {
      let source = vaultOptions.passphraseSource
      let current = try PassphraseReader.read(from: source, prompt: "Current passphrase: ")
      let new = try NewPassphrase.read(from: source)
      let strength = kdf.flatMap(KDFStrength.init(rawValue:))
      guard rekey else {
        try Vault.changePassphrase(
          at: vaultOptions.folder, from: current, to: new, strength: strength, clock: DeviceClock.current,
          attempt: vaultOptions.unlockAttempt)
        print(
          "The passphrase was changed. Only the passphrase: anyone who kept a copy of vault.json and knows the old passphrase can still read later copies of the vault; `evidence passwd --rekey` locks them out."
        )
        return
      }
      let bar = ProgressBar("Re-encrypting")
      let outcome = try Vault.rekey(
        at: vaultOptions.folder, from: current, to: new, strength: strength, clock: DeviceClock.current,
        progress: { bar.update($0, $1) }, attempt: vaultOptions.unlockAttempt)
      Diagnostics.reportAccessAttempts(outcome.newAccessAttempts)
      if outcome.finishedInterrupted {
        print(
          "An interrupted change of keys was finished instead, with the new passphrase chosen then; nothing else was changed. Run `evidence passwd --rekey` again for another change."
        )
      } else {
        print(
          "The keys were changed: a new master key, the new passphrase, and \(outcome.records) \(outcome.records == 1 ? "record" : "records") and \(outcome.blobFiles) attached \(outcome.blobFiles == 1 ? "file" : "files") re-encrypted, each exactly as it was."
        )
      }
      print("Fingerprint: \(outcome.oldFingerprint) → \(outcome.newFingerprint)")
      print(
        "Tell whoever checks your exports (the police) the new fingerprint; exports made before keep verifying with the old one."
      )
      print(
        "Copies of the vault made before still open with the old passphrase (they hold only what was written until then): delete them if they are anywhere the abuser can reach."
      )
      for name in outcome.unreadableBlobs {
        Diagnostics.warning(
          "The attached file stored as \(name.prefix(12))… was damaged before the change and could not be re-encrypted; it was left as it was. `evidence verify` names its exhibit."
        )
      }
    }
  }
}
