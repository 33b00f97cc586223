from oscheck.cli import main

main()
