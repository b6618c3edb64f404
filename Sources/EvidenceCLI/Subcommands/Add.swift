import ArgumentParser
import EvidenceReport
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write down an incident.",
      discussion: """
        On a terminal with no options, asks step by step: when, where, who, what happened.
        In scripts, give at least --when, --title and --narrative-file (- reads standard input).
        """)

    @OptionGroup var vaultOptions: VaultOptions
    @OptionGroup var entry: EntryOptions

    static var keptForLater: String {
      "What you typed is kept: the next `\(ProgramName.current) add` offers to continue it."
    }

    func run() throws {
      var input = try entry.input()
      let guided = !entry.givesAnything
      if guided && !Prompt.isInteractive {
        throw CommandFailure(
          message:
            "Nothing to save: give the incident with options, or run `evidence add` on a terminal to be asked step by step.",
          hint: "For example: evidence add --when \"yesterday 22:00\" --title \"Threats\" --narrative-file -")
      }
      let vault = try vaultOptions.openVault()
      let timeZone = PersonalTimeZone.resolve()
      var draft: DraftWriter?
      if guided {
        let resumed = try DraftOffer.choose(
          from: vault, command: "add", what: "entry", timeZone: timeZone, noteText: GuidedEntry.noteText)
        let keeper = DraftOffer.keeper(
          folder: vaultOptions.folder, command: "add", timeZone: timeZone, resuming: resumed)
        draft = keeper.writer
        var questions = GuidedEntry(resuming: resumed?.answers ?? [:], keep: keeper.keep)
        input = questions.ask(index: vault.index, timeZone: timeZone)
      }
      let newEntry: Entry
      do {
        newEntry = try input.makeEntry(index: vault.index, timeZone: timeZone, now: DeviceClock.now)
      } catch {
        if draft != nil { Diagnostics.note(Self.keptForLater) }
        throw error
      }
      if guided {
        print(EntryText.preview(newEntry, index: vault.index, timeZone: timeZone))
        guard Prompt.confirm("Save this entry?", default: true) else {
          throw CommandFailure(message: "Not saved. \(Self.keptForLater)", exitCode: 1)
        }
      }
      let files = entry.attach.map { URL(fileURLWithPath: $0) }
      let saved = try vault.addEntry(newEntry, attaching: files, progress: ProgressBar("Encrypting").update)
      // The entry is durable: the draft of it is no longer needed.
      try? draft?.discard()
      print("Saved entry #\(saved.number).")
      for (label, file) in zip(saved.exhibits, files) {
        print("Saved \(TerminalSafeText.line(file.lastPathComponent)) as exhibit \(label).")
      }
    }
  }
}
