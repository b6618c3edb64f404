import ArgumentParser
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct Passwd: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Change the passphrase. Only the vault header is rewritten.",
      discussion: "With --passphrase-fd, the current passphrase is the first line and the new one the second.")

    @OptionGroup var vaultOptions: VaultOptions

    @Option(
      name: .long,
      help: ArgumentHelp(
        "Also change how hard the passphrase is protected: interactive, moderate or sensitive.", valueName: "cost"))
    var kdf: String?

    func validate() throws {
      if let kdf, KDFStrength(rawValue: kdf) == nil {
        throw ValidationError("--kdf takes interactive, moderate or sensitive.")
      }
    }

    func run() throws {
      let source = vaultOptions.passphraseSource
      let current = try PassphraseReader.read(from: source, prompt: "Current passphrase: ")
      let new = try NewPassphrase.read(from: source, what: "passphrase")
      try Vault.changePassphrase(
        at: vaultOptions.folder, from: current, to: new, strength: kdf.flatMap(KDFStrength.init(rawValue:)))
      print("The passphrase was changed.")
    }
  }
}
