import ArgumentParser
import EvidenceVault
import Foundation

/// `evidence`: an encrypted journal of incidents, for the day you report them to the police.
@main
struct EvidenceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evidence",
    abstract: "An encrypted journal of what happened to you, kept for the day you report it to the police.",
    discussion: """
      Everything is encrypted with your passphrase. Nothing you write is stored unencrypted.
      If you are in danger now, call 112.
      """,
    subcommands: [
      Init.self, Add.self, List.self, Show.self, Amend.self, Attach.self, Attachments.self, Extract.self,
      MessageCommand.self, Messages.self, Import.self, PersonCommand.self, Export.self, VerifyExport.self,
      Support.self, Verify.self, AnchorCommand.self, Passwd.self,
    ]
  )

  /// Runs the command; vault errors become one sentence and a hint, never a stack trace.
  static func main() {
    do {
      var command = try parseAsRoot()
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
        print(fullMessage(for: error))
        Foundation.exit(0)
      }
      // A mistake in the command line itself: one sentence and a pointer to the help, exit 2.
      Diagnostics.error(message(for: error).trimmingCharacters(in: .whitespacesAndNewlines))
      Diagnostics.hint("`evidence help` lists the commands; `evidence help <command>` explains one.")
      Foundation.exit(2)
    }
  }
}

/// A failure of the CLI itself (not the vault's), with its exit code.
struct CommandFailure: Error {
  let message: String
  var hint: String?
  var exitCode: Int32 = 2
}
