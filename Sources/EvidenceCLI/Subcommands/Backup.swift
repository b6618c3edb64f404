import ArgumentParser
import EvidenceCatalogue
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: String(.abstractBackup),
      discussion: """
        `backup --to FOLDER` writes the backup into FOLDER (a USB stick, a synced folder), or updates the one \
        already there with what is new, then reads it back and checks it. The backup is the journal's own \
        encrypted files: it opens with your passphrase and with nothing else, and it is never in plain text. \
        `backup --check FOLDER` checks every byte of the backup there against this journal. \
        `evidence restore` makes a journal again from a backup.
        """)

    @OptionGroup var vaultOptions: VaultOptions

    @Option(name: .long, help: ArgumentHelp("Write or update the backup in this folder.", valueName: "folder"))
    var to: String?

    @Option(name: .long, help: ArgumentHelp("Check the backup in this folder.", valueName: "folder"))
    var check: String?

    @Flag(name: .long, help: "Print JSON (Schemas/backup-report.schema.json) instead of text.")
    var json = false

    func validate() throws {
      guard (to == nil) != (check == nil) else {
        throw ValidationError("Give either --to FOLDER (to back up) or --check FOLDER (to check a backup).")
      }
    }

    func run() throws {
      let passphrase = try PassphraseReader.read(from: vaultOptions.passphraseSource, prompt: String(.passphrasePrompt))
      let vault = try vaultOptions.unlock(with: passphrase, tellingOfBackup: false)
      Diagnostics.report(vault.integrity)
      if let to {
        let outcome = try vault.backup(
          to: URL(fileURLWithPath: to).standardizedFileURL, progress: ProgressBar("Backing up").update)
        print(json ? BackupText.json(outcome.check, outcome: outcome) : Self.lines(outcome).joined(separator: "\n"))
      } else if let check {
        let result = try vault.checkBackup(
          in: URL(fileURLWithPath: check).standardizedFileURL, passphrase: passphrase,
          progress: ProgressBar("Checking the backup").update)
        if json {
          print(BackupText.json(result, outcome: nil))
        } else {
          for line in Self.lines(result) { print(line) }
        }
        guard result.isIntact else {
          throw CommandFailure(
            message: "The backup in \(result.folder.path) does not verify.",
            hint: "Keep it as it is, and make a new backup into another folder (`evidence backup --to`).",
            exitCode: 1)
        }
      }
    }

    static func lines(_ outcome: BackupOutcome) -> [String] {
      let holdings = BackupText.holdings(
        records: outcome.recordCount, blobs: outcome.blobCount, inbox: outcome.inboxCount,
        byteCount: outcome.check.totalByteCount)
      let records = outcome.newRecordCount == 1 ? "1 new record" : "\(outcome.newRecordCount) new records"
      let files = outcome.newBlobCount == 1 ? "1 new attachment file" : "\(outcome.newBlobCount) new attachment files"
      return [
        "Backed up to \(outcome.folder.path): it holds \(holdings), read back and checked.",
        outcome.startedNewSet
          ? "Written whole (\(BackupText.bytes(outcome.writtenByteCount)))."
          : "Written this time: \(records) and \(files) (\(BackupText.bytes(outcome.writtenByteCount))).",
      ]
    }

    static func lines(_ check: BackupCheck) -> [String] {
      var lines = check.notices
      for problem in check.problems { lines.append("DAMAGED: \(problem)") }
      let holdings = BackupText.holdings(
        records: check.recordCount, blobs: check.blobCount, inbox: check.inboxCount, byteCount: check.totalByteCount)
      if check.isIntact {
        lines.append("OK: the backup in \(check.folder.path) verifies: \(holdings).")
        if let missing = check.recordsNotInBackup {
          lines.append(
            missing == 0
              ? "It holds every record of the journal."
              : "It matches the journal up to record \(check.recordCount); \(BackupText.recordsNotIn(missing))")
        }
      }
      return lines
    }
  }

  struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: String(.abstractRestore),
      discussion: """
        Checks every byte of the backup with your passphrase first; a backup that does not verify is not \
        restored. The new folder must not exist yet, or be empty. The restored journal is opened and verified \
        before `restored` is printed; point --vault (or EVIDENCE_VAULT) at it to use it.
        """)

    @Argument(help: ArgumentHelp("The folder that holds the backup (as given to `backup --to`).", valueName: "backup"))
    var backup: String

    @Option(name: .long, help: ArgumentHelp("The new journal folder to restore into.", valueName: "folder"))
    var to: String

    @Option(
      name: .long,
      help: ArgumentHelp(
        "Read the passphrase from this open file descriptor (one line) instead of asking on the terminal.",
        valueName: "n"))
    var passphraseFd: Int32?

    func run() throws {
      let passphrase = try PassphraseReader.read(
        from: passphraseFd.map { .descriptor($0) } ?? .terminal, prompt: String(.passphrasePrompt))
      let outcome = try Vault.restore(
        from: URL(fileURLWithPath: backup).standardizedFileURL, to: URL(fileURLWithPath: to).standardizedFileURL,
        passphrase: passphrase, clock: DeviceClock.current, progress: ProgressBar("Restoring").update)
      let exhibits = outcome.exhibitCount == 1 ? "1 exhibit" : "\(outcome.exhibitCount) exhibits"
      print(
        "Restored into \(outcome.folder.path): \(outcome.recordCount) records and \(exhibits), every one verified.")
      print("Use it with --vault \(outcome.folder.path) (or set EVIDENCE_VAULT).")
    }
  }
}
