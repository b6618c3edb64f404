import ArgumentParser
import EvidenceCatalogue
import EvidenceVault
import Foundation

/// `--vault` and `--passphrase-fd`, taken by every command that opens a vault.
struct VaultOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      VaultOptions.folderHelp,
      valueName: "path"))
  var vault: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Read the passphrase from this open file descriptor (one line) instead of asking on the terminal. For scripts: --passphrase-fd 3 3<file.",
      valueName: "n"))
  var passphraseFd: Int32?

  static let folderHelp =
    "The vault folder. Default: $EVIDENCE_VAULT, else the folder `init` made: ~/.local/share/ej (or $XDG_DATA_HOME/ej)."

  func validate() throws {
    if let passphraseFd, passphraseFd < 0 {
      throw ValidationError("--passphrase-fd takes a file descriptor number, 0 or more.")
    }
  }

  /// The vault folder chosen by `--vault`, `EVIDENCE_VAULT` or the default.
  var folder: URL { Self.folder(vault) }

  /// The vault folder for a `--vault` value (or none): see `VaultLocation.folder`.
  static func folder(_ vault: String?) -> URL { VaultLocation.folder(named: vault) }

  var passphraseSource: PassphraseReader.Source {
    passphraseFd.map { .descriptor($0) } ?? .terminal
  }

  /// This command, and how its passphrase comes: a wrong one is recorded with them.
  var unlockAttempt: UnlockAttempt {
    UnlockAttempt(command: RunningCommand.name, viaTerminal: passphraseFd == nil)
  }

  /// Says, before opening, that the open will first finish a change of keys that was interrupted (which takes a
  /// while).
  /// - Returns: the progress to show while it is finished.
  @discardableResult
  func noteUnfinishedRekey() -> Vault.Progress {
    guard Vault.hasUnfinishedRekey(at: folder) else { return { _, _ in } }
    Diagnostics.note("Finishing a change of keys that was interrupted; this re-encrypts what is left of the vault.")
    let bar = ProgressBar("Re-encrypting")
    return { bar.update($0, $1) }
  }

  /// How many passphrases a person at the terminal may type before the command gives up; a script's descriptor
  /// gives one.
  static let terminalTries = 3

  /// Asks for the passphrase and opens the vault; says first whether someone typed a wrong passphrase since the
  /// last time. At the terminal a wrong passphrase is asked again, up to `terminalTries` in all (each wrong one is
  /// recorded like any other). What else opening found is left to the caller (`openVault` reports it).
  func unlock() throws(VaultError) -> Vault {
    var triesLeft = passphraseFd == nil ? Self.terminalTries : 1
    while true {
      let passphrase = try PassphraseReader.read(from: passphraseSource, prompt: String(.passphrasePrompt))
      triesLeft -= 1
      do throws(VaultError) {
        return try unlock(with: passphrase)
      } catch {
        guard error.code == .wrongPassphrase, triesLeft > 0 else { throw error }
        Prompt.say(String(.passphraseTryAgain, count: triesLeft))
      }
    }
  }

  /// Opens the vault with a passphrase already read; says whether someone typed a wrong passphrase since the last
  /// time and, with `tellingOfBackup`, when the last backup was made (or, once a week, that there is none).
  func unlock(with passphrase: borrowing SecretBytes, tellingOfBackup: Bool = true) throws(VaultError) -> Vault {
    let rekeyProgress = noteUnfinishedRekey()
    let vault = try Vault.open(
      at: folder, passphrase: passphrase, clock: DeviceClock.current, rekeyProgress: rekeyProgress,
      attempt: unlockAttempt)
    vault.onWarning = Diagnostics.warning
    Diagnostics.reportAccessAttempts(vault.newAccessAttempts)
    if tellingOfBackup, let notice = vault.backupNotice() {
      Diagnostics.note(BackupText.notice(notice, now: DeviceClock.now, timeZone: PersonalTimeZone.resolve()))
    }
    return vault
  }

  /// Asks for the passphrase and opens the vault; reports anything opening found.
  func openVault() throws(VaultError) -> Vault {
    let vault = try unlock()
    Diagnostics.report(vault.integrity)
    if vault.journalVersion == 1 {
      Diagnostics.note(
        "This vault is in format version 1, where damage to one record makes every later record unreadable. `evidence upgrade` rewrites it in version 2; nothing you wrote changes."
      )
    }
    return vault
  }
}
