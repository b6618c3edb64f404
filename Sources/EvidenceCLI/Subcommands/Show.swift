import ArgumentParser
import EvidenceCatalogue
import EvidenceReport
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: String(.abstractShow))

    @OptionGroup var vaultOptions: VaultOptions

    @Argument(help: ArgumentHelp("The entry's number, as in `evidence list` (12 or #12).", valueName: "number"))
    var number: EntryNumber

    @Flag(name: .long, help: "Also show every earlier version of an amended entry.")
    var history = false

    @Flag(name: .long, help: "Print JSON (Schemas/entry-history.schema.json) instead of text.")
    var json = false

    func run() throws {
      let vault = try vaultOptions.openVault()
      let index = vault.index
      let entry = try index.entry(number: number.value)
      if json {
        print(JSONOutput.entryHistory(entry))
      } else {
        print(
          EntryText.full(entry, index: index, includeHistory: history, timeZone: PersonalTimeZone.resolve()),
          terminator: "")
      }
    }
  }
}

/// An entry number as people type it: `12` or `#12`.
struct EntryNumber: ExpressibleByArgument {
  let value: Int
  init?(argument: String) {
    let digits = argument.hasPrefix("#") ? String(argument.dropFirst()) : argument
    guard let value = Int(digits), value > 0 else { return nil }
    self.value = value
  }
}
