# 解码器模块（ops/decoder.rs）、卷积往返（ops/round_trip.rs）与 FCN 的跳跃连接（ops/fcn.rs）。

## 共用控件

decoder-kernel-size = 卷积核大小
decoder-stride = 步长
decoder-padding = 填充
decoder-in-channels = 输入通道数
decoder-out-channels = 输出通道数
decoder-channels = 通道数
decoder-channel-group = 通道分组
decoder-scale-factor = 放大倍数
decoder-help-in-channels = 输入的通道数（C_in）。
decoder-help-out-channels = 输出的通道数（C_out）。

## decomposed_conv_transpose2d

decoder-decomposed-title = 分解的转置卷积（先 k×1 后 1×k）
decoder-decomposed-summary = 一个 k×1 转置卷积对行上采样，一个 1×k 转置卷积对列上采样；旁边是以两者外积为卷积核的完整 k×k 转置卷积，数值完全相同。
decoder-decomposed-help-kernel-size = k：先做一遍 k×1 的列卷积，再做一遍 1×k 的行卷积。
decoder-decomposed-help-stride = 上采样倍数 s：第一遍作用于行，第二遍作用于列。
decoder-decomposed-help-padding = 从每一侧裁掉的行数（第一遍）和列数（第二遍）。
decoder-caption-column = 列卷积核 { $sym }（k×1）
decoder-caption-rows-upsampled = 行上采样结果 { $sym }
decoder-caption-row = 行卷积核 { $sym }（1×k）
decoder-caption-full = 完整结果 { $sym } = { $equals }
decoder-decomposed-formula-size = H_out = (H − 1)·s − 2p + k = ({ $h } − 1)·{ $s } − 2·{ $p } + { $k } = { $oh }（第一遍）；W_out = { $ow }（第二遍）
decoder-decomposed-formula-rank-one = W[ci, co, i, j] = a[ci, co, i] · b[co, j]：每对通道的卷积核秩为 1
decoder-decomposed-fact-weights = 权重：C_in·C_out·k + C_out·k = { $split } + { $split2 }，而不是 C_in·C_out·k² = { $full }
decoder-decomposed-fact-products = 乘加：分解后 { $split } + { $split2 }，对比完整转置卷积 { $full }

## separable_conv_transpose2d

decoder-separable-title = 可分离转置卷积（先逐通道，再 1×1）
decoder-separable-summary = 每个通道由自己的 k×k 转置卷积核上采样（groups = C），再由 1×1 卷积混合各通道。
decoder-separable-help-in-channels = 输入的通道数（C）。
decoder-separable-help-kernel-size = 逐通道 k×k 转置卷积核的 k。
decoder-separable-help-stride = 上采样倍数 s。
decoder-separable-help-padding = 从逐通道结果每一侧裁掉的行列数。
decoder-caption-depthwise = 逐通道卷积核 { $sym }
decoder-caption-upsampled = 上采样结果 { $sym }
decoder-caption-pointwise = 逐点卷积核 { $sym }（1×1）
decoder-separable-formula-weights = 权重：C·k² + C·C_out = { $depthwise } + { $pointwise } = { $sum }，而完整转置卷积为 C·C_out·k² = { $full }
decoder-separable-fact-products = 乘加：可分离 { $depthwise } + { $pointwise }，对比完整转置卷积 { $full }

## residual_upsample

decoder-residual-title = 残差上采样（Wojna 等）
decoder-residual-summary = 一个可学习的转置卷积分支加上一个无参数的双线性加性跳跃连接，二者相加：即 Wojna 等人论文中的残差解码器模块。
decoder-residual-help-channels = 输入的通道数（C）；必须能被 N 整除。
decoder-residual-help-channel-group = N：该模块把 C 个通道映射为 C / N 个。
decoder-residual-help-scale-factor = s：两个分支都上采样 s 倍。
decoder-caption-transposed-kernel = 转置卷积核 { $sym }
decoder-caption-learned-branch = 可学习分支 { $sym }
decoder-caption-skip = 双线性加性跳跃连接 { $sym }
decoder-residual-fact-weights = 权重：可学习分支 { $n } 个，跳跃连接没有

## conv_round_trip

round-trip-title = 卷积 → 转置卷积（不是逆运算）
round-trip-summary = 先卷积，再用同一权重做转置卷积：形状恢复了，数值却没有——转置卷积是卷积的伴随算子，而不是它的逆。
round-trip-help-in-channels = x 的通道数（C_in），也是往返结果的通道数。
round-trip-help-out-channels = 卷积输出 y 的通道数（C_out）。
round-trip-help-kernel-size = 共用卷积核的高和宽（k）。
round-trip-help-padding = 两次卷积的填充（p）。
round-trip-kernel-too-big = { $k }×{ $k } 的卷积核放不进 { $size } + 2·{ $p } 个单元格
round-trip-caption-kernel = 卷积核 { $sym }
round-trip-caption-back = { $sym } = conv_transpose2d(y, w)，形状同 x
round-trip-formula-adjoint = 伴随关系：对任意 x 和 y，⟨conv2d(x, w), y⟩ = ⟨x, conv_transpose2d(y, w)⟩
round-trip-fact-shape = 形状已恢复：r 与 x 一样是 { $shape }{ $note }
round-trip-fact-shape-note = （output_padding { $op } 补回了卷积向下取整时丢掉的行和列）
round-trip-fact-values = 数值没有恢复：r 的 { $n } 个单元格中有 { $changed } 个与 x 不同——转置卷积不是逆运算
round-trip-fact-adjoint = 伴随恒等式（y = conv2d(x, w)）：⟨y, y⟩ = { $lhs }，⟨x, r⟩ = { $rhs }{ $equal }
round-trip-equal = ，二者相等
round-trip-equal-rounding = ，在舍入误差内相等（差 { $difference }）

## fcn_skips

fcn-title = FCN 跳跃连接（FCN-32s、16s、8s）
fcn-summary = 步长 32、16、8 处的得分图由粗到细融合：用初始化为双线性插值的转置卷积上采样 ×2，加上更细的得分图，最后上采样到图像大小。
fcn-variant = 变体
fcn-variant-help = 最后一次上采样之前融合哪些得分图。
fcn-variant-8s = FCN-8s：步长 32 + 16 + 8，再 ×8
fcn-variant-16s = FCN-16s：步长 32 + 16，再 ×16
fcn-variant-32s = FCN-32s：步长 32，再 ×32
fcn-coarse-size = 步长 32 得分图的边长
fcn-coarse-size-help = 步长 32 得分图的边长；图像边长是它的 32 倍。
fcn-caption-scores = { $sym } = 步长 { $stride } 处的得分（{ $source }）
fcn-caption-up = { $sym } = { $source } 的 ×2 上采样
fcn-caption-b4 = b4 = 双线性 4×4（×2）
fcn-caption-b = b = 双线性 { $k }×{ $k }（×{ $s }）
fcn-caption-y = y = { $source } 的 ×{ $s } 上采样，与图像同大
fcn-formula-fuse = { $f } = conv_transpose2d({ $previous }, b4, stride=2, padding=1) + s{ $stride }：先 ×2，再加上 { $source } 的得分
fcn-formula-final = y = conv_transpose2d({ $last }, b, stride={ $s }, padding={ $p })：{ $k }×{ $k } 双线性卷积核，{ $coarse } → { $n }×{ $n }
fcn-fact-detail = { $variant }：输出最细的细节来自步长为 { $stride } 的得分图；每多融合一步，最后被上采样的得分图的步长就减半
fcn-fact-kernels = 上采样卷积核初始化为双线性插值（FCN 的 upsample_filt）：×2 的卷积核在 FCN 中参与学习，最后一个固定不变
