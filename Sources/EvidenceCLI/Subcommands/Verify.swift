import ArgumentParser
import EvidenceReport
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check every record and the hash chain; says OK with the head, or exactly what is wrong.")

    @OptionGroup var vaultOptions: VaultOptions

    func run() throws {
      let passphrase = try PassphraseReader.read(from: vaultOptions.passphraseSource, prompt: "Passphrase: ")
      let vault = try Vault.open(at: vaultOptions.folder, passphrase: passphrase)
      let lines = IntegrityText.lines(
        integrity: vault.integrity, index: vault.index, clockNotices: vault.clockNotices,
        fingerprint: vault.fingerprint, timeZone: PersonalTimeZone.resolve())
      for line in lines { print(line) }
      if !vault.integrity.isIntact {
        throw CommandFailure(
          message: "The vault does not verify.",
          hint:
            "Do not delete anything. Keep a copy of the whole vault folder; what verifies can still be read and exported.",
          exitCode: 1)
      }
    }
  }
}
