from ol_analysis.cli import main

main()
