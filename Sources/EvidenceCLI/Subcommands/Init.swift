import ArgumentParser
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Make a new, empty vault protected by a passphrase.")

    @OptionGroup var vaultOptions: VaultOptions

    @Option(
      name: .long,
      help: ArgumentHelp(
        "How hard the passphrase is protected: interactive (fast), moderate (default, about half a second), sensitive (slow, strongest).",
        valueName: "cost"))
    var kdf: String = KDFStrength.moderate.rawValue

    static let minimumPassphraseLength = 8

    func validate() throws {
      guard KDFStrength(rawValue: kdf) != nil else {
        throw ValidationError("--kdf takes interactive, moderate or sensitive.")
      }
    }

    func run() throws {
      let strength = KDFStrength(rawValue: kdf) ?? .moderate
      let passphrase = try NewPassphrase.read(from: vaultOptions.passphraseSource)
      let vault = try Vault.create(
        at: vaultOptions.folder, passphrase: passphrase, strength: strength, clock: DeviceClock.current)
      print("Created a new vault at \(vault.folder.path).")
      print("Vault fingerprint: \(vault.fingerprint)")
      print("Remember your passphrase: without it nobody, not even you, can read this journal.")
    }
  }
}

/// Asking for a new passphrase: twice on a terminal, once from a file descriptor.
enum NewPassphrase {
  static func read(from source: PassphraseReader.Source, what: String = "passphrase") throws -> SecretBytes {
    let passphrase = try PassphraseReader.read(from: source, prompt: "New \(what): ")
    guard passphrase.count >= EvidenceCommand.Init.minimumPassphraseLength else {
      throw CommandFailure(
        message: "The \(what) is too short: use at least \(EvidenceCommand.Init.minimumPassphraseLength) characters.",
        hint: "A few unrelated words are easy to remember and hard to guess.")
    }
    if case .terminal = source {
      let again = try PassphraseReader.read(from: source, prompt: "Type it again: ")
      guard passphrase.isEqual(to: again) else {
        throw CommandFailure(message: "The two passphrases were not the same; nothing was changed.", hint: "Try again.")
      }
    }
    return passphrase
  }
}
