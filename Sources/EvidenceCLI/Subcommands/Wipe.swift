import ArgumentParser
import EvidenceCatalogue
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct Wipe: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: String(.abstractWipe),
      discussion: """
        Needs no passphrase. First the file that holds your key (vault.json) is overwritten and removed, so that
        nothing left on this disk, and no copy of the journal made without it, can be read any more; then the rest
        of the vault folder is removed. Asks you to type ERASE (or RADERA); scripts pass --confirm-erase.
        Refused unless a backup (`evidence backup`) holds the last record, or --without-backup is given: without a
        backup, the evidence on this computer is gone.
        """)

    @OptionGroup var vaultOptions: VaultOptions

    @Flag(name: .long, help: "Do not ask: the person has already decided (for scripts).")
    var confirmErase = false

    @Flag(name: .long, help: "Wipe even though there is no backup newer than the last record.")
    var withoutBackup = false

    /// The words that confirm, in the languages the interface speaks.
    static let confirmationWords: Set<String> = ["ERASE", "RADERA"]

    func run() throws {
      let folder = vaultOptions.folder
      guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("vault.json").path) else {
        throw CommandFailure(
          message: "There is no vault at \(folder.path); nothing was wiped.",
          hint: "Point --vault at the vault folder.", exitCode: 6)
      }
      guard withoutBackup || Vault.hasBackupOfEveryRecord(at: folder) else {
        throw CommandFailure(
          message:
            "There is no backup of this vault newer than its last record, so wiping it would destroy the only copy of your evidence.",
          hint:
            "Make one first with `evidence backup --to <folder>` (a USB stick you keep elsewhere). To wipe anyway, add --without-backup.",
          exitCode: 2)
      }
      if !confirmErase {
        guard Prompt.isInteractive else {
          throw CommandFailure(
            message: "Nothing was wiped: on a terminal you are asked to confirm; in scripts add --confirm-erase.",
            exitCode: 2)
        }
        FileHandle.standardError.write(
          Data(
            "This destroys the vault in \(folder.path) on this computer. The evidence in it will be gone and cannot be brought back.\n"
              .utf8))
        let typed = Prompt.ask("Type ERASE (or RADERA) to wipe it, anything else to stop:")
        guard Self.confirmationWords.contains(typed.trimmingCharacters(in: .whitespaces)) else {
          throw CommandFailure(message: "Not wiped: nothing was changed.", exitCode: 1)
        }
      }
      let outcome = try Vault.wipe(at: folder)
      print(
        "Wiped: the key file was overwritten and removed, then the vault folder (\(outcome.removedCount) files and folders). Nothing of the vault can be read on this computer any more."
      )
    }
  }
}
