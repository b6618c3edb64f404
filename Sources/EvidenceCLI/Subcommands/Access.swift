import ArgumentParser
import EvidenceCatalogue
import EvidenceReport
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct Access: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: String(.abstractAccess),
      discussion: """
        Each time a wrong passphrase is given, evidence seals a small record of it (when, which command, whether it \
        was typed at the terminal or given on a file descriptor; never the passphrase or any part of it) that the \
        next successful unlock takes into the journal. Attempts to get into your journal can themselves be evidence \
        of control; `evidence export --include-access` puts them in the dossier.
        """)

    @OptionGroup var vaultOptions: VaultOptions

    @Flag(name: .long, help: "Print JSON (Schemas/access-list.schema.json) instead of text.")
    var json = false

    func run() throws {
      let vault = try vaultOptions.openVault()
      let attempts = vault.index.accessAttempts.map(\.attempt)
      if json {
        print(AccessText.json(attempts))
        return
      }
      guard !attempts.isEmpty else {
        print("No wrong passphrase has been recorded.")
        return
      }
      let timeZone = PersonalTimeZone.resolve()
      for attempt in attempts { print(AccessText.listLine(attempt, timeZone: timeZone)) }
      print("")
      print(AccessText.caveat)
    }
  }
}
