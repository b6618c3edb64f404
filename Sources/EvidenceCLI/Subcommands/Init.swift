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
      let chosen = VaultLocation.isChosen(named: vaultOptions.vault)
      var folder = chosen ? vaultOptions.folder : VaultLocation.defaultFolder()
      if !chosen && Prompt.isInteractive { folder = Self.askWhere(default: folder) }
      let passphrase = try NewPassphrase.read(from: vaultOptions.passphraseSource)
      let vault = try Vault.create(at: folder, passphrase: passphrase, strength: strength, clock: DeviceClock.current)
      print("Created a new vault at \(vault.folder.path).")
      if folder.standardizedFileURL.path != VaultLocation.defaultFolder().standardizedFileURL.path && !chosen {
        print(
          "Give this folder to every command: \(ProgramName.current) list --vault \(Self.shellQuoted(folder.path)) (or set EVIDENCE_VAULT)."
        )
      }
      print("Vault fingerprint: \(vault.fingerprint)")
      print("Remember your passphrase: without it nobody, not even you, can read this journal.")
    }

    /// Asks where to keep the vault, explaining the default; Enter takes it.
    static func askWhere(default folder: URL) -> URL {
      let shown = Self.homeRelative(folder)
      let explanation = """
        Where should your journal be kept?
          Press Enter for \(shown): a hidden folder in your home folder, whose name does not say what it holds.
          Or type another folder, for example on a USB stick you keep with you; then give it to every command
          with --vault FOLDER.
        """
      FileHandle.standardError.write(Data((explanation + "\n").utf8))
      let answer = Prompt.ask("Folder [\(shown)]:").trimmingCharacters(in: .whitespaces)
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
