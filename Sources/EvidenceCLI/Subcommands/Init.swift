import ArgumentParser
import EvidenceCatalogue
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: String(.initAbstract))

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
      let chosen = VaultLocation.isChosen(named: vaultOptions.vault)
      var folder = chosen ? vaultOptions.folder : VaultLocation.defaultFolder()
      if !chosen && Prompt.isInteractive { folder = Self.askWhere(default: folder) }
      let passphrase = try NewPassphrase.read(from: vaultOptions.passphraseSource)
      let vault = try Vault.create(at: folder, passphrase: passphrase, strength: strength, clock: DeviceClock.current)
      InterfaceChoice.keep(in: vault.folder)
      print(String(.initCreated, ["folder": vault.folder.path]))
      if folder.standardizedFileURL.path != VaultLocation.defaultFolder().standardizedFileURL.path && !chosen {
        print(
          String(
            .initGiveFolder, ["program": ProgramName.current, "folder": Self.shellQuoted(folder.path)]))
      }
      print(String(.initFingerprint, ["fingerprint": vault.fingerprint]))
      print(String(.initRemember))
    }

    /// Asks where to keep the vault, explaining the default; Enter takes it.
    static func askWhere(default folder: URL) -> URL {
      let shown = Self.homeRelative(folder)
      Prompt.say(String(.initWhere, ["folder": shown]))
      let answer = Prompt.ask(String(.initFolder, ["folder": shown])).trimmingCharacters(in: .whitespaces)
      guard !answer.isEmpty else { return folder }
      return URL(fileURLWithPath: (answer as NSString).expandingTildeInPath)
    }

    private static func homeRelative(_ folder: URL) -> String {
      let home = FileManager.default.homeDirectoryForCurrentUser.standardizedFileURL.path
      let path = folder.standardizedFileURL.path
      return path.hasPrefix(home + "/") ? "~" + path.dropFirst(home.count) : path
    }

    private static func shellQuoted(_ path: String) -> String {
      path.allSatisfy { $0.isLetter || $0.isNumber || "/._-~".contains($0) }
        ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
  }
}

/// Asking for a new passphrase: twice on a terminal (and again, up to three times, when it is too short or the two
/// differ), once from a file descriptor.
enum NewPassphrase {
  static func read(from source: PassphraseReader.Source) throws -> SecretBytes {
    var triesLeft = 3
    while true {
      triesLeft -= 1
      let passphrase = try PassphraseReader.read(from: source, prompt: String(.newPassphrasePrompt))
      var problem: CommandFailure?
      if passphrase.count < EvidenceCommand.Init.minimumPassphraseLength {
        problem = CommandFailure(
          message: String(.newPassphraseTooShort, ["count": String(EvidenceCommand.Init.minimumPassphraseLength)]),
          hint: String(.newPassphraseTooShortHint))
      } else if case .terminal = source {
        let again = try PassphraseReader.read(from: source, prompt: String(.newPassphraseAgain))
        if !passphrase.isEqual(to: again) {
          problem = CommandFailure(message: String(.newPassphrasesDiffer), hint: String(.newPassphrasesDifferHint))
        }
      }
      guard let problem else { return passphrase }
      guard case .terminal = source, triesLeft > 0 else { throw problem }
      Prompt.say(problem.message + " " + String(.newPassphraseAskAgain))
    }
  }
}
