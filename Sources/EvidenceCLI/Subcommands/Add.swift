import ArgumentParser
import EvidenceCatalogue
import EvidenceReport
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: String(.addAbstract), discussion: String(.addDiscussion))

    @OptionGroup var vaultOptions: VaultOptions
    @OptionGroup var entry: EntryOptions

    static var keptForLater: String { String(.addKeptForLater, ["program": ProgramName.current]) }

    func run() throws {
      var input = try entry.input()
      let guided = !entry.givesAnything
      if guided && !Prompt.isInteractive {
        throw CommandFailure(
          message: String(.addNothingToSave), hint: String(.addNothingToSaveHint, ["program": ProgramName.current]))
      }
      let vault = try vaultOptions.openVault()
      let timeZone = PersonalTimeZone.resolve()
      var draft: DraftWriter?
      var files = entry.attach.map { URL(fileURLWithPath: $0) }
      if guided {
        let resumed = try DraftOffer.choose(
          from: vault, command: "add", what: .draftEntry, timeZone: timeZone, noteText: GuidedEntry.noteText)
        let keeper = DraftOffer.keeper(
          folder: vaultOptions.folder, command: "add", timeZone: timeZone, resuming: resumed)
        draft = keeper.writer
        var questions = GuidedEntry(resuming: resumed?.answers ?? [:], keep: keeper.keep) {
          person throws(VaultError) in
          try vault.addPerson(person)
          return vault.index
        }
        let answered = questions.ask(index: vault.index, timeZone: timeZone, now: DeviceClock.now)
        input = answered.0
        files += answered.files
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
        guard Prompt.confirm(String(.guidedSaveEntry), default: true) else {
          throw CommandFailure(message: String(.addNotSaved, ["kept": Self.keptForLater]), exitCode: 1)
        }
      }
      let saved = try vault.addEntry(newEntry, attaching: files, progress: ProgressBar("Encrypting").update)
      // The entry is durable: the draft of it is no longer needed.
      try? draft?.discard()
      print(String(.addSaved, ["number": String(saved.number)]))
      for (label, file) in zip(saved.exhibits, files) {
        print(String(.addSavedExhibit, ["file": TerminalSafeText.line(file.lastPathComponent), "label": label]))
      }
    }
  }
}
