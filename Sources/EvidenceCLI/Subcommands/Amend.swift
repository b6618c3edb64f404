import ArgumentParser
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct Amend: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Correct or add to an incident. The earlier version is kept in the history.",
      discussion:
        "Give only what changes; everything else stays as it was. A list option (--category, --person, --tag…) replaces the whole list."
    )

    @OptionGroup var vaultOptions: VaultOptions

    @Argument(help: ArgumentHelp("The entry's number (12 or #12).", valueName: "number"))
    var number: EntryNumber

    @OptionGroup var entry: EntryOptions

    func run() throws {
      guard entry.attach.isEmpty else {
        throw CommandFailure(
          message: "Files are attached with `evidence attach \(number.value) FILE`, not with amend.")
      }
      guard entry.givesAnything else {
        throw CommandFailure(
          message: "Nothing to change: give the fields that change, such as --where or --narrative-file.",
          hint: "evidence amend \(number.value) --help lists them.")
      }
      let input = try entry.input()
      let vault = try vaultOptions.openVault()
      let index = vault.index
      let current = try index.entry(number: number.value).current
      let amended = try input.amend(current, index: index, timeZone: PersonalTimeZone.resolve(), now: DeviceClock.now)
      try vault.amendEntry(number.value, with: amended)
      print("Saved the amendment to entry #\(number.value); the earlier version stays in its history.")
    }
  }
}
