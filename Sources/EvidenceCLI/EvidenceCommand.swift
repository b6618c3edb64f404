import ArgumentParser
import EvidenceCatalogue
import EvidenceVault
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `evidence`: an encrypted journal of incidents, for the day you report them to the police.
@main
struct EvidenceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: ProgramName.current,
    abstract: String(.rootAbstract),
    discussion: String(.rootDiscussion),
    subcommands: [
      Init.self, Add.self, Note.self, List.self, Show.self, Amend.self, Attach.self, Attachments.self, Extract.self,
      MessageCommand.self, Messages.self, Import.self, PersonCommand.self, Export.self, VerifyExport.self, Decrypt.self,
      Support.self, Verify.self, AnchorCommand.self, Card.self, Access.self, Backup.self, Restore.self, Passwd.self,
      Upgrade.self, Wipe.self,
    ]
  )

  /// Runs the command; vault errors become one sentence and a hint, never a stack trace.
  static func main() {
    // Before anything is read or decrypted: a crash must never write the records to a core file.
    CoreDumps.disable()
    let arguments: [String]
    do {
      arguments = try InterfaceChoice.apply(to: Array(CommandLine.arguments.dropFirst()))
    } catch {
      Diagnostics.error(error.message)
      Foundation.exit(error.exitCode)
    }
    do {
      // `evidence` alone on a terminal: the menu, in the person's language.
      if arguments.isEmpty, Prompt.isInteractive {
        try Menu.run()
        Foundation.exit(0)
      }
      var command = try parseAsRoot(arguments)
      RunningCommand.name = RunningCommand.path(of: type(of: command))
      if let warning = ShellTraces.warning(
        for: ShellTraces.identifyingValues(in: Array(CommandLine.arguments.dropFirst())))
      {
        Diagnostics.warning(warning)
      }
      try command.run()
    } catch let failure as VaultError {
      Diagnostics.report(failure)
      Foundation.exit(ExitCode32.code(for: failure))
    } catch let failure as CommandFailure {
      Diagnostics.error(failure.message)
      if let hint = failure.hint { Diagnostics.hint(hint) }
      Foundation.exit(failure.exitCode)
    } catch {
      // --help and --version end here too, with success: print them as ArgumentParser would.
      if exitCode(for: error) == .success {
        let commands = configuration.subcommands.map { $0._commandName } + ["help"]
        print(HelpText.translated(ProgramName.rewriteHelp(fullMessage(for: error), commands: commands)))
        Foundation.exit(0)
      }
      // A mistake in the command line itself: one sentence and a pointer to the help, exit 2.
      let sentence = message(for: error).split(whereSeparator: \.isNewline).joined(separator: " ")
      Diagnostics.error(String(.commandLineMistake, ["detail": sentence.trimmingCharacters(in: .whitespaces)]))
      Diagnostics.hint(String(.commandLineMistakeHint, ["program": ProgramName.current]))
      Foundation.exit(2)
    }
  }
}

/// The subcommand this process runs, by its name as typed (`list`, `person add`): a wrong passphrase is recorded
/// with it. Only the command's names, never its arguments.
enum RunningCommand {
  nonisolated(unsafe) static var name = "evidence"

  /// The names from the root to `command`, without the root's: `person add`.
  static func path(of command: any ParsableCommand.Type) -> String {
    func search(_ node: any ParsableCommand.Type, _ names: [String]) -> [String]? {
      if node == command { return names }
      for child in node.configuration.subcommands {
        if let found = search(child, names + [child._commandName]) { return found }
      }
      return nil
    }
    let names = search(EvidenceCommand.self, []) ?? [command._commandName]
    return names.isEmpty ? "evidence" : names.joined(separator: " ")
  }
}

/// ArgumentParser's help in the interface's language: its headings and its own lines; the rest comes from the
/// catalogue already.
enum HelpText {
  static func translated(_ text: String) -> String {
    guard InterfaceLanguage.current.code != Catalogue.english.code else { return text }
    let phrases: [Phrase] = [
      .helpOverview, .helpUsage, .helpArguments, .helpOptions, .helpSubcommands, .helpShowHelp, .helpShowVersion,
    ]
    return phrases.reduce(text) { result, phrase in
      result.replacingOccurrences(of: Catalogue.english.text(phrase), with: String(phrase))
    }
  }
}

/// A failure of the CLI itself (not the vault's), with its exit code.
struct CommandFailure: Error {
  let message: String
  var hint: String?
  var exitCode: Int32 = 2
}

/// Keeps decrypted records out of core files.
///
/// A crash of a process that holds decrypted records would otherwise let the kernel write its memory to disk, in
/// the clear: as `core` in the working folder, or handed to a crash collector (systemd-coredump, apport), which
/// keeps it. Two switches, because each alone has a gap: a core limit of 0 (hard and soft, so nothing in the
/// process can raise it) stops the file, but a crash collector behind a pipe in `core_pattern` is not bound by
/// it; a process that is not dumpable gets no core at all, and its /proc files and memory become readable only
/// by root.
enum CoreDumps {
  static func disable() {
    var none = rlimit(rlim_cur: 0, rlim_max: 0)
    #if os(Linux)
      let limited = setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &none) == 0
    #else
      let limited = setrlimit(RLIMIT_CORE, &none) == 0
    #endif
    guard limited, notDumpable() else {
      Diagnostics.warning(String(.coreDumpsNotOff))
      return
    }
  }

  /// `prctl(PR_SET_DUMPABLE, 0)`; true when it took effect (and where there is no such switch).
  ///
  /// prctl(2) is variadic in C, which Swift cannot call, so it is called through its address with the five
  /// `unsigned long`-sized arguments the kernel reads (on x86-64 and arm64 Linux a variadic function takes these
  /// exactly like a fixed one).
  private static func notDumpable() -> Bool {
    #if os(Linux)
      typealias Prctl = @convention(c) (CInt, CUnsignedLong, CUnsignedLong, CUnsignedLong, CUnsignedLong) -> CInt
      let prSetDumpable: CInt = 4  // <linux/prctl.h>
      guard let program = dlopen(nil, RTLD_NOW), let symbol = dlsym(program, "prctl") else { return false }
      let prctl = unsafeBitCast(symbol, to: Prctl.self)
      // "On success, PR_SET_DUMPABLE returns 0; on error, -1 is returned, and errno is set."
      return prctl(prSetDumpable, 0, 0, 0, 0) == 0
    #else
      return true
    #endif
  }
}
