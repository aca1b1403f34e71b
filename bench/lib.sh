# Helpers the bench scripts share, sourced by each: `. bench/lib.sh` by the scripts that run from
# the top of the tree, by its path beside the script by those that keep the caller's directory.

# The median of the numbers on standard input, one per line (the mean of the middle two when
# there is an even number of them; "-" when there is none).
median() {
  sort -g | awk '{v[NR]=$1} END {if (NR == 0) print "-"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'
}
