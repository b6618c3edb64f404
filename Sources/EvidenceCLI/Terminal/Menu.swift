import ArgumentParser
import EvidenceCatalogue
import EvidenceReport
import EvidenceVault
import Foundation

/// What `evidence` with no arguments shows on a terminal: a short numbered menu in the person's language, so that
/// nothing has to be remembered. Each choice asks the few things it needs and runs the command that does it (the
/// same command a script would give); after it the menu is shown again, until "Quit" or the end of input.
///
/// A mistake in one choice (a wrong passphrase three times, a file that is not there) is said in one sentence and
/// the menu comes back: the person is never dropped out of it with a half-done task.
enum Menu {
  private struct Choice {
    let label: Phrase
    /// The command line of the command that does it, from the answers to its questions; nil when the person left
    /// a needed answer empty (back to the menu).
    let arguments: () -> [String]?
  }

  static func run() throws {
    guard offerToMakeJournal() else { return }
    let choices: [Choice] = [
      Choice(label: .menuWrite) { ["add"] },
      Choice(label: .menuMessage) { ["message", "add"] },
      Choice(label: .menuFile) {
        guard let path = askPath(.menuAskFilePath) else { return nil }
        guard let entry = askEntryNumber() else { return ["attach", "--loose", path] }
        return ["attach", String(entry), path]
      },
      Choice(label: .menuImport) {
        guard let path = askPath(.menuAskImportPath) else { return nil }
        return ["import", importFormat(of: path), path]
      },
      Choice(label: .menuExport) {
        guard let folder = askPath(.menuAskExportFolder) else { return nil }
        let language = InterfaceLanguage.current.code == "sv" ? "sv" : "en"
        return ["export", "--out", folder, "--lang", language]
      },
      Choice(label: .menuShow) { ["list"] },
      Choice(label: .menuHelp) {
        Prompt.say(String(.menuHelpText, ["program": ProgramName.current]))
        return nil
      },
    ]
    while true {
      Prompt.say("")
      Prompt.say(String(.menuHeading))
      for (offset, choice) in choices.enumerated() { Prompt.say("  \(offset + 1)  \(String(choice.label))") }
      Prompt.say("  \(choices.count + 1)  \(String(.menuQuit))")
      let count = String(choices.count + 1)
      guard let reply = Prompt.read(String(.menuAsk, ["count": count])) else { break }
      let text = reply.trimmingCharacters(in: .whitespaces)
      if text.isEmpty { continue }
      guard let number = Int(text), (1...choices.count + 1).contains(number) else {
        Prompt.say(String(.menuNotAChoice, ["text": TerminalSafeText.line(text), "count": count]))
        continue
      }
      if number == choices.count + 1 { break }
      if let arguments = choices[number - 1].arguments() { perform(arguments) }
    }
    Prompt.say(String(.menuBye))
  }

  /// Runs one command as if it had been typed; its failure is reported and the menu goes on.
  private static func perform(_ arguments: [String]) {
    do {
      var command = try EvidenceCommand.parseAsRoot(arguments)
      RunningCommand.name = RunningCommand.path(of: type(of: command))
      try command.run()
    } catch let failure as VaultError {
      Diagnostics.report(failure)
    } catch let failure as CommandFailure {
      Diagnostics.error(failure.message)
      if let hint = failure.hint { Diagnostics.hint(hint) }
    } catch {
      if EvidenceCommand.exitCode(for: error) != .success {
        Diagnostics.error(EvidenceCommand.message(for: error))
      }
    }
  }

  /// With no journal yet, offers to make one (`init` asks where, and the passphrase); false when there is none
  /// and the person does not want one now.
  private static func offerToMakeJournal() -> Bool {
    let folder = VaultLocation.folder(named: nil)
    guard !FileManager.default.fileExists(atPath: folder.appendingPathComponent("vault.json").path) else {
      return true
    }
    guard Prompt.confirm(String(.menuNoJournal), default: true) else { return false }
    perform(["init"])
    return FileManager.default.fileExists(atPath: VaultLocation.folder(named: nil).path)
  }

  private static func askPath(_ question: Phrase) -> String? {
    guard let text = Prompt.read(String(question))?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
      return nil
    }
    return (text as NSString).expandingTildeInPath
  }

  /// An incident's number, or nil for none; asked again after anything else.
  private static func askEntryNumber() -> Int? {
    while true {
      guard let text = Prompt.read(String(.menuAskEntryNumber))?.trimmingCharacters(in: .whitespaces),
        !text.isEmpty
      else { return nil }
      if let number = Int(text.trimmingCharacters(in: CharacterSet(charactersIn: "#"))), number > 0 { return number }
      Prompt.say(String(.menuNotANumber, ["text": TerminalSafeText.line(text)]))
    }
  }

  /// Which importer reads the file, from its name: sms-*.xml, calls-*.xml, *.json (Telegram), *.eml and mbox
  /// (e-mail), else a WhatsApp chat (.txt or .zip).
  static func importFormat(of path: String) -> String {
    let name = (path as NSString).lastPathComponent.lowercased()
    if name.hasSuffix(".xml") { return name.hasPrefix("calls") ? "calls" : "sms-backup" }
    if name.hasSuffix(".json") { return "telegram" }
    if name.hasSuffix(".eml") || name.hasSuffix(".mbox") || name == "mbox" { return "email" }
    return "whatsapp"
  }
}
