import ArgumentParser
import EvidenceCatalogue
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct Upgrade: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: String(.abstractUpgrade),
      discussion: """
        In the newest format (version 2) damage to one record, such as a bad sector on a USB stick, costs only that
        record; in version 1 it makes every later record unreadable. Nothing you wrote changes: every record keeps
        its exact bytes, so anchor codes you sent and exports you made still verify. The old journal is kept until
        the new one has been read back and checked; an upgrade that is interrupted leaves the old vault or the new
        one, never a mix.
        """)

    @OptionGroup var vaultOptions: VaultOptions

    func run() throws {
      let passphrase = try PassphraseReader.read(from: vaultOptions.passphraseSource, prompt: String(.passphrasePrompt))
      let bar = ProgressBar("Rewriting")
      let outcome = try Vault.upgrade(
        at: vaultOptions.folder, passphrase: passphrase, clock: DeviceClock.current,
        progress: bar.update(records:of:), attempt: vaultOptions.unlockAttempt)
      switch outcome {
      case .alreadyCurrent:
        print("This vault is already in the newest format (version 2); nothing was changed.")
      case .upgraded(let records, let head):
        print(
          "Upgraded to format version 2: \(records) \(records == 1 ? "record" : "records") rewritten, each exactly as it was; the journal's head is unchanged (\(head.prefix(16))…)."
        )
      }
    }
  }
}
